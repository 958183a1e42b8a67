/**
 * Staff (POS_CASHIERS): two cashiers sell on one tablet in turn (Lock, the next PIN), each sale
 * and its receipt carry the cashier who charged it, a checkout left open belongs to whoever
 * charged it, each cashier's My shift shows their own day only, and the manager's cash-up splits
 * the day by cashier. With UPDATE_SCREENSHOTS=1 the screens are written to e2e/screenshots/.
 */
import { expect, test, type Page } from '@playwright/test';
import { ports, staffPos } from './ports';
import { receiptPath, typeAmount } from './support';

const staffURL = `http://127.0.0.1:${ports.staff}`;
const { alice, bob } = staffPos.cashiers;
const save = (name: string) => (process.env.UPDATE_SCREENSHOTS ? { path: `e2e/screenshots/${name}.png` } : {});
const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;

interface Totals {
  count: number;
  amount: number;
  tip: number;
}

/** The day's paid totals per cashier name so far (other tests may have sold on this POS today). */
async function cashupByName(page: Page): Promise<Record<string, Totals>> {
  const session = await page.request.post(`${staffURL}/api/session`, { data: { pin: staffPos.managerPin } });
  const { token } = (await session.json()) as { token: string };
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC' }).format(Date.now());
  const res = await page.request.get(`${staffURL}/api/cashup?date=${today}`, { headers: { Authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { cashiers: ({ cashier: { name: string } | null } & Totals)[] };
  await page.request.delete(`${staffURL}/api/session`, { headers: { Authorization: `Bearer ${token}` } });
  return Object.fromEntries(body.cashiers.map((row) => [row.cashier?.name ?? '', row]));
}

async function signIn(page: Page, pin: string): Promise<void> {
  await page.getByLabel('PIN').fill(pin);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

async function sell(page: Page, cents: string, tipButton: RegExp): Promise<string> {
  await typeAmount(page, cents);
  await page.getByRole('button', { name: 'Charge' }).click();
  const created = page.waitForResponse((r) => r.url().endsWith('/api/invoices') && r.request().method() === 'POST');
  await page.getByRole('group', { name: 'Tip' }).getByRole('button', { name: tipButton }).click();
  const { id } = (await (await created).json()) as { id: string };
  await expect(page.getByRole('img', { name: 'Payment QR code' })).toBeVisible();
  return id;
}

test('two cashiers sell on one tablet in turn; each sees their own shift; the cash-up splits them', async ({ page, context }, testInfo) => {
  test.skip(testInfo.project.name !== 'landscape', 'one tablet on one POS: the day counts this run’s sales once (the phone is shown at the end)');
  test.setTimeout(120_000);
  const before = await cashupByName(page);
  const was = (name: string): Totals => before[name] ?? { count: 0, amount: 0, tip: 0 };

  // Alice unlocks: the top bar says who is signed in.
  await page.goto(`${staffURL}/`);
  await signIn(page, alice.pin);
  await expect(page.getByTestId('amount')).toBeVisible();
  await expect(page.getByTestId('signed-in')).toHaveText('Signed in: Alice');

  // Alice sells $12.00 + 10 % tip; the checkout, the Paid screen and the receipt name her.
  await sell(page, '1200', /^10%/);
  await expect(page.getByTestId('charged-by')).toHaveText('Charged by Alice');
  await page.screenshot(save('staff-checkout-landscape'));
  await page.getByRole('button', { name: 'Simulate payment' }).click();
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
  await expect(page.getByTestId('paid-cashier')).toHaveText('Served by Alice');
  const receipt = await context.newPage();
  await receipt.goto(`${staffURL}${await receiptPath(page)}`);
  await expect(receipt.getByTestId('receipt-cashier')).toHaveText('Alice');
  await receipt.close();
  await page.getByRole('button', { name: 'New sale' }).click();

  // Alice charges $5.00 and locks with the customer still paying: Bob takes the tablet.
  const parked = await sell(page, '500', /^No tip/);
  await page.getByRole('button', { name: 'Lock' }).click();
  await signIn(page, bob.pin);
  // Back on the checkout it was locked on: still Alice's sale, and the screen says so.
  await expect(page).toHaveURL(new RegExp(`/checkout/${parked}$`));
  await expect(page.getByTestId('signed-in')).toHaveText('Signed in: Bob');
  await expect(page.getByTestId('charged-by')).toHaveText('Charged by Alice · it stays Alice’s sale');
  await page.screenshot(save('staff-handover-landscape'));
  await page.getByRole('button', { name: 'Simulate payment' }).click();
  await expect(page.getByTestId('paid-cashier')).toHaveText('Served by Alice');
  await page.getByRole('button', { name: 'New sale' }).click();

  // Bob's own sale: $3.00 + 15 % tip ($0.45).
  await sell(page, '300', /^15%/);
  await expect(page.getByTestId('charged-by')).toHaveText('Charged by Bob');
  await page.getByRole('button', { name: 'Simulate payment' }).click();
  await expect(page.getByTestId('paid-cashier')).toHaveText('Served by Bob');
  const bobsReceipt = await context.newPage();
  await bobsReceipt.goto(`${staffURL}${await receiptPath(page)}`);
  await expect(bobsReceipt.getByTestId('receipt-cashier')).toHaveText('Bob');
  await bobsReceipt.close();
  await page.getByRole('button', { name: 'New sale' }).click();
  // Recent sales on the shared tablet: Bob's own, not Alice's.
  const recent = page.getByRole('region', { name: 'Recent sales' });
  await expect(recent.getByRole('link')).toHaveCount(1);
  await expect(recent.getByRole('link', { name: /\$3\.45, Paid/ })).toBeVisible();

  // Bob's shift: his own sale and tip only.
  await page.getByRole('link', { name: 'My shift' }).click();
  await expect(page.getByRole('heading', { name: 'My shift' })).toBeVisible();
  await expect(page.getByTestId('shift-count')).toHaveText(String(was('Bob').count + 1));
  await expect(page.getByTestId('shift-total')).toHaveText(dollars(was('Bob').amount + was('Bob').tip + 345));
  await expect(page.getByTestId('shift-tips')).toHaveText(dollars(was('Bob').tip + 45));
  await expect(page.getByRole('table', { name: 'My sales today, newest first' }).getByRole('row')).toHaveCount(was('Bob').count + 2);
  await page.screenshot(save('staff-shift-landscape'));
  // Nobody else's figures, even asked for by hand.
  const refused = await page.evaluate(async () => {
    const token = (JSON.parse(localStorage.getItem('pos-session') ?? '{}') as { state: { session: { token: string } } }).state.session.token;
    const headers = { Authorization: `Bearer ${token}` };
    const others = await fetch('/api/shift?cashier=none', { headers });
    const cashup = await fetch('/api/cashup?date=2026-01-01', { headers });
    return [others.status, cashup.status];
  });
  expect(refused).toEqual([403, 403]);

  // Alice again: her two sales ($12.00 + $1.20 tip, $5.00), none of Bob's.
  await page.getByRole('button', { name: 'Lock' }).click();
  await signIn(page, alice.pin);
  await expect(page.getByTestId('shift-count')).toHaveText(String(was('Alice').count + 2));
  await expect(page.getByTestId('shift-total')).toHaveText(dollars(was('Alice').amount + was('Alice').tip + 1820));
  await expect(page.getByTestId('shift-tips')).toHaveText(dollars(was('Alice').tip + 120));

  // The manager: the cash-up split by cashier, and the payments list filtered by one.
  await page.getByRole('button', { name: 'Lock' }).click();
  await signIn(page, staffPos.managerPin);
  await page.goto(`${staffURL}/history`);
  const byCashier = page.getByRole('table', { name: 'Paid sales by cashier' });
  await expect(byCashier.getByRole('row', { name: /^Alice / })).toHaveText(
    `Alice${was('Alice').count + 2}${dollars(was('Alice').amount + was('Alice').tip + 1820)}${dollars(was('Alice').tip + 120)}`,
  );
  await expect(byCashier.getByRole('row', { name: /^Bob / })).toHaveText(
    `Bob${was('Bob').count + 1}${dollars(was('Bob').amount + was('Bob').tip + 345)}${dollars(was('Bob').tip + 45)}`,
  );
  const payments = page.getByRole('region', { name: 'Payments' });
  await payments.getByLabel('Cashier').selectOption({ label: 'Bob' });
  await expect(page).toHaveURL(/cashier=[0-9a-f]{8}/);
  const rows = payments.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(was('Bob').count + 2);
  await expect(rows.nth(1)).toContainText('Bob');
  await byCashier.scrollIntoViewIfNeeded();
  await page.screenshot(save('staff-cashup-landscape'));

  // CSV: the cashier column.
  const downloading = page.waitForEvent('download');
  await page.getByRole('region', { name: 'Cash-up' }).getByRole('button', { name: 'Download CSV' }).click();
  const chunks: Buffer[] = [];
  for await (const chunk of await (await downloading).createReadStream()) chunks.push(chunk as Buffer);
  const [header, ...lines] = Buffer.concat(chunks).toString('utf8').slice(1).split('\r\n');
  expect(header?.endsWith(',cashier')).toBe(true);
  expect(lines.filter((line) => line.includes(',paid,') && line.endsWith(',Alice'))).toHaveLength(was('Alice').count + 2);
  expect(lines.filter((line) => line.includes(',paid,') && line.endsWith(',Bob'))).toHaveLength(was('Bob').count + 1);

  // The same screens on a phone.
  await page.setViewportSize({ width: 390, height: 844 });
  await byCashier.scrollIntoViewIfNeeded();
  await page.screenshot(save('staff-cashup-phone'));
  await page.getByRole('button', { name: 'Lock' }).click();
  await signIn(page, bob.pin);
  await page.goto(`${staffURL}/shift`);
  await expect(page.getByTestId('shift-count')).toHaveText(String(was('Bob').count + 1));
  await page.screenshot(save('staff-shift-phone'));
});
