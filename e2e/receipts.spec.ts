/**
 * Receipts: printed from the Paid screen and from History (an 80 mm roll or A4, the receipt alone),
 * and on the customer's phone from the QR on the Paid screen: that one sale, no session, nothing
 * else; an altered link shows nothing.
 */
import { expect, test, type Page } from '@playwright/test';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { ports } from './ports';
import { charge, typeAmount, unlock } from './support';

const tipsURL = `http://127.0.0.1:${ports.tips}`;

/** Pays a $12.34 sale with a 15 % tip on the store with tips and an address; ends on Paid. */
async function paidSale(page: Page, role: 'cashier' | 'manager' = 'cashier', memo = '2 flat whites') {
  await unlock(page, role, tipsURL);
  await typeAmount(page, '1234');
  await page.getByLabel('Memo').fill(memo);
  await page.getByRole('button', { name: 'Charge' }).click();
  const invoice = await charge(page, '15% +$1.85 Total $14.19');
  await page.getByRole('button', { name: 'Simulate payment' }).click();
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
  return invoice;
}

/** window.print is the browser's dialog: count the calls instead, then look with print media. */
async function stubPrint(page: Page) {
  await page.evaluate(() => {
    window.print = () => document.body.setAttribute('data-printed', String(Number(document.body.dataset.printed ?? 0) + 1));
  });
}

async function printedPageSize(page: Page): Promise<[number, number] | null> {
  const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
  const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf);
  return box ? [Math.round(Number(box[1])), Math.round(Number(box[2]))] : null;
}

/** In print media the receipt alone is on the page, with everything a receipt says. */
async function expectPrintedReceipt(page: Page, paymentHash: string, memo = '2 flat whites') {
  await page.emulateMedia({ media: 'print' });
  const receipt = page.getByRole('article', { name: 'Receipt' });
  await expect(receipt).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeHidden();
  await expect(page.getByRole('banner')).toBeHidden();
  await expect(receipt.getByText('Tip Top Café')).toBeVisible();
  await expect(receipt.getByText('1 Harbour Street, Springfield')).toBeVisible();
  await expect(receipt.getByTestId('receipt-amount')).toHaveText('$12.34');
  await expect(receipt.getByTestId('receipt-tip')).toHaveText('$1.85');
  await expect(receipt.getByTestId('receipt-total')).toHaveText('$14.19');
  await expect(receipt.getByText('14,190 sats')).toBeVisible();
  await expect(receipt.getByText('1 BTC = $100,000.00')).toBeVisible();
  await expect(receipt.getByText(memo)).toBeVisible();
  await expect(receipt.getByText(/\(UTC\)/)).toBeVisible();
  await expect(receipt.getByTestId('receipt-hash')).toHaveText(paymentHash);
}

test('Print receipt on the Paid screen: 80 mm roll and A4', async ({ page }) => {
  const invoice = await paidSale(page);
  const hash = ((await page.evaluate(async (id) => {
    const stored = JSON.parse(localStorage.getItem('pos-session') ?? '{}') as { state: { session: { token: string } } };
    const res = await fetch(`/api/invoices/${id}`, { headers: { Authorization: `Bearer ${stored.state.session.token}` } });
    return res.json();
  }, invoice.id)) as { paymentHash: string }).paymentHash;
  await stubPrint(page);

  await page.getByRole('group', { name: 'Receipt paper' }).getByRole('button', { name: '80 mm' }).click();
  await page.getByRole('button', { name: 'Print receipt' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-printed', '1');
  // Printing keeps the Paid screen up until the cashier is done.
  await expect(page.getByText('Tap New sale when done')).toBeVisible();
  await expectPrintedReceipt(page, hash);
  expect((await printedPageSize(page))?.[0]).toBe(227); // 80 mm in points

  await page.emulateMedia({ media: 'screen' });
  await page.getByRole('button', { name: 'A4' }).click();
  await expect(page.getByRole('button', { name: 'A4' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Print receipt' }).click();
  await expectPrintedReceipt(page, hash);
  expect(await printedPageSize(page)).toEqual([595, 842]); // A4 in points
});

test('Print receipt for a paid sale in History', async ({ page }) => {
  const memo = `history receipt ${test.info().project.name} ${Date.now()}`;
  await paidSale(page, 'manager', memo);
  await page.getByRole('button', { name: 'New sale' }).click();
  await page.getByRole('link', { name: 'History' }).click();
  const payments = page.getByRole('region', { name: 'Payments' });
  await payments.getByRole('row').filter({ hasText: memo }).getByRole('button').click();
  const dialog = page.getByRole('dialog', { name: /Invoice \$14\.19/ });
  await expect(dialog).toBeVisible();
  const hash = (await dialog.locator('dd.font-mono').last().textContent())!;
  expect(hash).toMatch(/^[0-9a-f]{64}$/);
  await stubPrint(page);
  await dialog.getByRole('button', { name: '80 mm' }).click();
  await dialog.getByRole('button', { name: 'Print receipt' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-printed', '1');
  await expectPrintedReceipt(page, hash, memo);
  await expect(dialog).toBeHidden();
  expect((await printedPageSize(page))?.[0]).toBe(227);
  await page.emulateMedia({ media: 'screen' });
  await dialog.getByRole('button', { name: 'A4' }).click();
  await dialog.getByRole('button', { name: 'Print receipt' }).click();
  await expectPrintedReceipt(page, hash, memo);
  expect(await printedPageSize(page)).toEqual([595, 842]);
});

test('the receipt QR opens that sale on a phone without a session; an altered link gets nothing', async ({ page, browser }) => {
  const invoice = await paidSale(page);
  const qr = page.getByRole('img', { name: 'Receipt QR code' });
  await expect(qr).toBeVisible();
  const png = PNG.sync.read(await qr.screenshot());
  const link = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
  expect(link).toMatch(new RegExp(`^${tipsURL}/r/${invoice.id}~[0-9a-f]{32}$`));

  // The customer's phone: a new browser context, no session, no local storage.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const customer = await phone.newPage();
  const requests: string[] = [];
  customer.on('request', (request) => requests.push(new URL(request.url()).pathname));
  await customer.goto(link!);
  const receipt = customer.getByRole('article', { name: 'Receipt' });
  await expect(customer.getByRole('heading', { name: 'Your receipt' })).toBeVisible();
  await expect(receipt.getByText('Tip Top Café')).toBeVisible();
  await expect(receipt.getByTestId('receipt-total')).toHaveText('$14.19');
  await expect(receipt.getByTestId('receipt-tip')).toHaveText('$1.85');
  await expect(receipt.getByText(/Paid with Lightning/)).toBeVisible();
  // That sale and nothing else: no keypad, no other sale, no cashier screens, no session asked for.
  await expect(customer.getByRole('button', { name: 'Unlock' })).toHaveCount(0);
  await expect(customer.getByRole('banner')).toHaveCount(0);
  await expect(customer).toHaveURL(link!);
  expect(requests.filter((path) => path.startsWith('/api/') && path !== '/api/config')).toEqual([`/api/receipts/${link!.split('/r/')[1]}`]);
  expect(await customer.evaluate(() => localStorage.getItem('pos-session'))).toBeNull();
  await customer.emulateMedia({ media: 'print' });
  await expect(receipt).toBeVisible();
  await expect(customer.getByRole('button', { name: 'Print or save as PDF' })).toBeHidden();

  // One hex digit changed: not this store's signature, so no receipt.
  const tampered = link!.replace(/.$/, (last) => (last === '0' ? '1' : '0'));
  const response = await customer.request.get(tampered.replace('/r/', '/api/receipts/'));
  expect(response.status()).toBe(404);
  await customer.emulateMedia({ media: 'screen' });
  await customer.goto(tampered);
  await expect(customer.getByRole('alert')).toHaveText('This receipt does not exist. Check that the link is complete.');
  await expect(customer.getByRole('article', { name: 'Receipt' })).toHaveCount(0);
  await phone.close();
});
