import { describe, expect, it, vi } from 'vitest';
import { cashier, testProxy } from '../test-support/harness';

async function paidSale(env: Record<string, string> = {}) {
  const proxy = testProxy({ POS_STORE_NAME: 'Café Nord', POS_STORE_ADDRESS: 'Hafenstraße 1, Hamburg', POS_TIMEZONE: 'Europe/Berlin', ...env });
  const tablet = await cashier(proxy);
  const created = (await tablet.create({ amount: 1234, tip: 185, currency: 'USD', memo: '2 coffees' })).body;
  await proxy.call('POST', `/api/demo/invoices/${created.id}/pay`, { token: tablet.token });
  const link = await proxy.call('POST', '/api/receipts', { token: tablet.token, body: { invoiceId: created.id } });
  return { proxy, tablet, invoice: created, link };
}

describe('receipts', () => {
  it('a cashier gets a signed link for a paid sale; the link alone (no session) shows that sale', async () => {
    const { proxy, invoice, link } = await paidSale();
    expect(link.status).toBe(200);
    expect(link.body.token).toMatch(new RegExp(`^${invoice.id}~[0-9a-f]{32}$`));
    expect(link.body.path).toBe(`/r/${link.body.token}`);
    expect(link.body.url).toBeUndefined();

    const receipt = await proxy.call('GET', `/api/receipts/${link.body.token}`);
    expect(receipt.status).toBe(200);
    expect(receipt.body).toEqual({
      storeName: 'Café Nord',
      storeAddress: 'Hafenstraße 1, Hamburg',
      timezone: 'Europe/Berlin',
      amount: 1234,
      tip: 185,
      currency: 'USD',
      amountSats: 14_190,
      memo: '2 coffees',
      paidAt: expect.any(String),
      paymentHash: invoice.paymentHash,
    });
    // Nothing that would let the holder do more than read this receipt.
    expect(receipt.text).not.toContain(invoice.paymentRequest);
  });

  it('the receipt speaks the store’s language when POS_LANGUAGE sets one', async () => {
    const { proxy, link } = await paidSale({ POS_LANGUAGE: 'de' });
    expect((await proxy.call('GET', `/api/receipts/${link.body.token}`)).body.language).toBe('de');
  });

  it('the link is absolute when the proxy knows its public address', async () => {
    const { link } = await paidSale({ POS_PUBLIC_URL: 'https://pos.example.com/' });
    expect(link.body.url).toBe(`https://pos.example.com/r/${link.body.token}`);
  });

  it('a tampered, truncated or made-up token gets 404, without reading the invoice', async () => {
    const { proxy, invoice, link } = await paidSale();
    const token = String(link.body.token);
    const flipped = token.slice(0, -1) + (token.endsWith('0') ? '1' : '0');
    const other = `${invoice.id.slice(0, -1)}${invoice.id.endsWith('a') ? 'b' : 'a'}~${token.split('~')[1]}`;
    const read = vi.spyOn(proxy.provider, 'getInvoice');
    for (const bad of [flipped, token.slice(0, -2), other, invoice.id, `${invoice.id}~`, token.replace('~', '.'), 'x'.repeat(300)]) {
      const res = await proxy.call('GET', `/api/receipts/${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect(read).not.toHaveBeenCalled();
  });

  it('another store (another key) does not accept this store’s links', async () => {
    const { link } = await paidSale();
    const elsewhere = testProxy();
    expect((await elsewhere.call('GET', `/api/receipts/${link.body.token}`)).status).toBe(404);
  });

  it('minting needs a session, and a paid invoice', async () => {
    const proxy = testProxy();
    const tablet = await cashier(proxy);
    const pending = (await tablet.create({ amount: 500, currency: 'USD' })).body;
    expect((await proxy.call('POST', '/api/receipts', { body: { invoiceId: pending.id } })).status).toBe(401);
    const refused = await proxy.call('POST', '/api/receipts', { token: tablet.token, body: { invoiceId: pending.id } });
    expect(refused.status).toBe(409);
    const unknown = await proxy.call('POST', '/api/receipts', { token: tablet.token, body: { invoiceId: 'f'.repeat(64) } });
    expect(unknown.status).toBe(404);
    expect((await proxy.call('POST', '/api/receipts', { token: tablet.token, body: { invoiceId: '../x' } })).status).toBe(400);
  });

  it('the same sale always gets the same link, whoever asks', async () => {
    const { proxy, invoice, link } = await paidSale();
    const again = await proxy.call('POST', '/api/receipts', { token: await proxy.login('manager'), body: { invoiceId: invoice.id } });
    expect(again.body.token).toBe(link.body.token);
  });
});
