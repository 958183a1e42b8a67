/**
 * The manager's dashboard in a real Chromium. Other tests sell on the same demo server at the
 * same time, so totals are checked against the proxy's own figures, not against fixed numbers.
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ports } from './ports';
import { charge, PINS, typeAmount, unlock } from './support';

const api = `http://127.0.0.1:${ports.demo}/api`;

async function token(request: APIRequestContext, pin: string): Promise<string> {
  const response = await request.post(`${api}/session`, { data: { pin } });
  return ((await response.json()) as { token: string }).token;
}

/** A sale made and paid through the API, as another tablet would. */
async function paidSale(request: APIRequestContext, amount: number, memo: string, pay = true): Promise<string> {
  const auth = { Authorization: `Bearer ${await token(request, PINS.cashier)}` };
  const created = await request.post(`${api}/invoices`, { headers: auth, data: { amount, currency: 'USD', memo } });
  const { id } = (await created.json()) as { id: string };
  if (pay) await request.post(`${api}/demo/invoices/${id}/pay`, { headers: auth });
  return id;
}

async function todayGross(request: APIRequestContext): Promise<number> {
  const auth = { Authorization: `Bearer ${await token(request, PINS.manager)}` };
  const res = await request.get(`${api}/history?group=day`, { headers: auth });
  const body = (await res.json()) as { data: { date: string; amount: number; tip: number }[] };
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC' }).format(Date.now());
  const bucket = body.data.find((b) => b.date === today);
  return bucket ? bucket.amount + bucket.tip : 0;
}

const dollars = (cents: number) => `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;

async function openHistory(page: Page) {
  await unlock(page, 'manager');
  await page.getByRole('link', { name: 'History' }).click();
  await expect(page.getByRole('heading', { name: 'History', level: 1 })).toBeVisible();
  await expect(page.getByTestId('today-total')).not.toHaveText('…');
}

test('a cashier has no History link, and the page tells them it is the manager’s', async ({ page }) => {
  await unlock(page, 'cashier');
  await expect(page.getByRole('link', { name: 'History' })).toHaveCount(0);
  await page.goto('/history');
  await expect(page.getByRole('heading', { name: 'History is for the manager' })).toBeVisible();
  await expect(page.getByTestId('today-total')).toHaveCount(0);
});

test('today’s total changes after a sale is paid', async ({ page, request }) => {
  await openHistory(page);
  const before = await todayGross(request);
  await paidSale(request, 4321, 'dashboard test');
  // The card refreshes by itself; it ends up at the proxy's figure, which includes our sale.
  await expect
    .poll(async () => {
      const now = await todayGross(request);
      return now >= before + 4321 && (await page.getByTestId('today-total').textContent()) === dollars(now);
    }, { timeout: 15_000 })
    .toBe(true);
});

test('the payments list filters by status and opens an invoice to check it again', async ({ page, request }) => {
  const memo = `filter-${Date.now()}`;
  await paidSale(request, 1111, `${memo}-paid`);
  await paidSale(request, 2222, `${memo}-open`, false);
  await openHistory(page);
  const payments = page.getByRole('region', { name: 'Payments' });
  await expect(payments.getByRole('cell', { name: `${memo}-open` })).toBeVisible();
  await payments.getByLabel('Status').selectOption('paid');
  await expect(page).toHaveURL(/status=paid/);
  await expect(payments.getByRole('cell', { name: `${memo}-paid` })).toBeVisible();
  await expect(payments.getByRole('cell', { name: `${memo}-open` })).toHaveCount(0);
  for (const badge of await payments.locator('tbody').getByText(/^(Waiting|Expired|Cancelled)$/).all()) await expect(badge).toHaveCount(0);

  await payments.getByRole('row', { name: new RegExp(`${memo}-paid`) }).getByRole('button').click();
  const dialog = page.getByRole('dialog', { name: /Invoice \$11\.11/ });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Check again' }).click();
  await expect(dialog.getByRole('status')).toContainText('Checked with the provider');
  await expect(dialog.getByText('Paid', { exact: true }).first()).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
});

test('date ranges: presets and a custom range live in the URL', async ({ page }) => {
  await openHistory(page);
  await page.getByRole('button', { name: 'Last 7 days' }).click();
  await expect(page).toHaveURL(/range=7d/);
  await expect(page.getByRole('button', { name: 'By day' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'By month' }).click();
  await expect(page.getByRole('table', { name: 'Totals per month' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('button', { name: 'By month' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Custom' }).click();
  await page.getByLabel('From', { exact: true }).fill('2026-01-01');
  await page.getByLabel('To', { exact: true }).fill('2026-01-31');
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(page).toHaveURL(/range=custom&from=2026-01-01&to=2026-01-31/);
  await expect(page.getByText('No paid sales in this range.')).toBeVisible();
});

test('the cash-up prints on A4 and on an 80 mm receipt, and downloads as CSV', async ({ page, request }) => {
  const memo = `cashup, "quoted" ${Date.now()}`;
  await paidSale(request, 999, memo);
  await openHistory(page);
  const cashup = page.getByRole('region', { name: 'Cash-up' });
  await expect(cashup.getByTestId('cashup-totals')).toBeVisible();

  // Print: the page's own print stylesheet shows the cash-up alone, on the paper asked for.
  await page.evaluate(() => {
    window.print = () => document.body.setAttribute('data-printed', String(Number(document.body.dataset.printed ?? 0) + 1));
  });
  await cashup.getByRole('button', { name: 'Print', exact: true }).click();
  await expect(page.locator('body')).toHaveAttribute('data-printed', '1');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('banner')).toBeHidden();
  await expect(page.getByTestId('today-total')).toBeHidden();
  await expect(cashup.getByText('Demo Store')).toBeVisible();
  const pageSize = async () => {
    const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
    const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf);
    return box ? [Math.round(Number(box[1])), Math.round(Number(box[2]))] : null;
  };
  expect(await pageSize()).toEqual([595, 842]); // A4 in points
  await page.emulateMedia({ media: 'screen' });
  await cashup.getByRole('button', { name: 'Print receipt' }).click();
  await page.emulateMedia({ media: 'print' });
  expect((await pageSize())?.[0]).toBe(227); // 80 mm in points
  await page.emulateMedia({ media: 'screen' });

  // CSV: one row per payment, proper quoting, UTF-8 with a byte order mark.
  const downloading = page.waitForEvent('download');
  await cashup.getByRole('button', { name: 'Download CSV' }).click();
  const file = await downloading;
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC' }).format(Date.now());
  expect(file.suggestedFilename()).toBe(`cashup-${today}.csv`);
  const chunks: Buffer[] = [];
  for await (const chunk of await file.createReadStream()) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString('utf8').slice(1);
  const [header, ...rows] = text.split('\r\n');
  expect(header).toBe('date,time,status,currency,amount,tip,total,sats,memo,invoice,created_at_utc,paid_at_utc,cashier');
  const ours = rows.find((row) => row.includes('quoted'));
  expect(ours).toContain(`,paid,USD,9.99,0.00,9.99,9990,"${memo.replace(/"/g, '""')}",`);
});

test('recent sales on the cashier screen show each sale’s status', async ({ page }) => {
  await unlock(page, 'cashier');
  await typeAmount(page, '375');
  await charge(page);
  await page.getByRole('button', { name: 'Simulate payment' }).click();
  await page.getByRole('button', { name: 'New sale' }).click();
  const recent = page.getByRole('region', { name: 'Recent sales' });
  await expect(recent.getByRole('link', { name: /\$3\.75, Paid/ })).toBeVisible();
  await typeAmount(page, '425');
  await charge(page);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(recent.getByRole('link', { name: /\$4\.25, Cancelled/ })).toBeVisible();
  // Tapping a recent sale shows its outcome again.
  await recent.getByRole('link', { name: /\$3\.75, Paid/ }).click();
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
});

test('a late payment on an invoice the screen gave up on shows up as paid (LNbits)', async ({ page, request }) => {
  const lnbitsPos = `http://127.0.0.1:${ports.lnbitsPos}`;
  await unlock(page, 'cashier', lnbitsPos);
  await typeAmount(page, '650');
  const invoice = await charge(page);
  await page.getByRole('button', { name: 'Cancel' }).click();
  const recent = page.getByRole('region', { name: 'Recent sales' });
  await expect(recent.getByRole('link', { name: /\$6\.50, Cancelled/ })).toBeVisible();
  // LNbits cannot revoke the invoice: a customer's wallet pays the QR they had scanned.
  expect((await request.post(`http://127.0.0.1:${ports.fakeLnbits}/__fake/settle/${invoice.id}`)).ok()).toBe(true);
  await expect(recent.getByRole('link', { name: /\$6\.50, Paid/ })).toBeVisible({ timeout: 20_000 });
});
