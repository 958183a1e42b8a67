/**
 * Money safety in the browser: the provider holds the POS's status reads back (429) while the
 * customer pays. However long that lasts — past the quote, past the sale's own expiry — the
 * checkout never says Expired (the customer would be offered a second invoice for the same
 * amount), and it says Paid once the provider answers again. On Strike, LNbits and BTCPay.
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ports } from './ports';
import { charge, typeAmount, unlock } from './support';

const fakes = {
  strike: `http://127.0.0.1:${ports.fakeStrike}`,
  lnbits: `http://127.0.0.1:${ports.fakeLnbits}`,
  btcpay: `http://127.0.0.1:${ports.fakeBtcpay}`,
};
const pos = {
  strike: `http://127.0.0.1:${ports.strikePos}`,
  lnbits: `http://127.0.0.1:${ports.lnbitsShortPos}`,
  btcpay: `http://127.0.0.1:${ports.btcpayPos}`,
};
const payRoute = { strike: 'pay', lnbits: 'settle', btcpay: 'pay' } as const;

// One viewport is enough to show it, and each case waits out a whole sale.
test.skip(({ viewport }) => (viewport?.width ?? 0) < 1000, 'runs in the landscape project only');

/** Watches the page until `until` (unix ms): the Expired heading must never appear. */
async function neverExpiredUntil(page: Page, until: number) {
  while (Date.now() < until) {
    await expect(page.getByRole('heading', { name: 'Expired' })).toHaveCount(0);
    await page.waitForTimeout(1_000);
  }
}

async function fault(request: APIRequestContext, vendor: keyof typeof fakes, data: object) {
  expect((await request.post(`${fakes[vendor]}/__fake/fault`, { data })).ok()).toBe(true);
}

for (const vendor of ['strike', 'lnbits', 'btcpay'] as const) {
  test(`${vendor}: reads held back while the sale is paid — never Expired, then Paid`, async ({ page, request }) => {
    test.setTimeout(180_000);
    await unlock(page, 'cashier', pos[vendor]);
    await typeAmount(page, '4200');
    const invoice = await charge(page);
    await fault(request, vendor, { mode: 'rate-limited', scope: 'read', match: invoice.id });
    try {
      await page.waitForTimeout(3_000); // the proxy has met the 429 and holds its reads
      expect((await request.post(`${fakes[vendor]}/__fake/${payRoute[vendor]}/${invoice.id}`)).ok()).toBe(true);
      // Past the QR's expiry (Strike: its 14-second quote; elsewhere the sale's minute) and then some.
      await neverExpiredUntil(page, Date.parse(invoice.expiresAt) + 8_000);
    } finally {
      await fault(request, vendor, { mode: 'none', match: invoice.id });
    }
    // Once the provider answers again (after the pause it asked for), the sale shows paid.
    await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 75_000 });
  });
}
