/**
 * The demo wallet issues real BOLT11 invoices: decoded here with light-bolt11-decoder directly (a
 * different codebase from the encoder) and the signature checked with @noble/curves.
 */
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils';
import { decode } from 'light-bolt11-decoder';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../errors';
import { recoverPayee } from '../test-support/bolt11-signature';
import { DemoWallet, type DemoWalletOptions } from './demo';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');

function wallet(options: Partial<DemoWalletOptions> = {}) {
  let now = NOW;
  const demo = new DemoWallet(
    {
      currency: 'USD',
      btcPriceMinor: 10_000_000n,
      invoiceExpirySec: 600,
      network: 'regtest',
      storeName: 'Demo Store',
      ...options,
    },
    () => now,
  );
  return { demo, advance: (ms: number) => (now += ms) };
}

const sale = { reference: 'sale-1', amount: 1234, tip: 0, currency: 'USD', memo: '2 coffees' };

function section(invoice: string, name: string): unknown {
  const found = decode(invoice).sections.find((s) => s.name === name);
  return found && 'value' in found ? found.value : undefined;
}

describe('DemoWallet invoices', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['Date'], now: NOW }));
  afterEach(() => vi.useRealTimers());

  it('issues a signed regtest BOLT11 that an independent decoder reads back', async () => {
    const { demo } = wallet();
    const invoice = await demo.createInvoice(sale);
    expect(invoice.paymentRequest.startsWith('lnbcrt123400n1')).toBe(true);
    expect(section(invoice.paymentRequest, 'amount')).toBe('12340000'); // msat
    expect(section(invoice.paymentRequest, 'description')).toBe('2 coffees');
    expect(section(invoice.paymentRequest, 'expiry')).toBe(600);
    expect(section(invoice.paymentRequest, 'timestamp')).toBe(NOW / 1000);
    expect(section(invoice.paymentRequest, 'payment_hash')).toBe(invoice.paymentHash);
    expect(section(invoice.paymentRequest, 'payment_secret')).toMatch(/^[0-9a-f]{64}$/);
    expect(section(invoice.paymentRequest, 'feature_bits')).toMatchObject({ payment_secret: 'required', var_onion_optin: 'required' });
  });

  it('signs with the demo node key (signature verified independently)', async () => {
    const { demo } = wallet();
    const invoice = await demo.createInvoice(sale);
    expect(recoverPayee(invoice.paymentRequest)).toEqual({ payee: demo.nodePubkeyHex, valid: true });
    expect(demo.nodePubkeyHex).toMatch(/^0[23][0-9a-f]{64}$/);
  });

  it('derives the payment hash from a random preimage', async () => {
    const { demo } = wallet();
    const first = await demo.createInvoice(sale);
    const second = await demo.createInvoice(sale);
    const preimage = demo.preimageOf(first.id);
    expect(preimage).toMatch(/^[0-9a-f]{64}$/);
    expect(bytesToHex(sha256(hexToBytes(preimage!)))).toBe(first.paymentHash);
    expect(second.paymentHash).not.toBe(first.paymentHash);
    expect(second.id).not.toBe(first.id);
  });

  it('reports what the BOLT11 says: amount in sats, created and expiry times', async () => {
    const { demo } = wallet();
    const invoice = await demo.createInvoice({ ...sale, tip: 100 });
    expect(invoice).toMatchObject({
      status: 'pending',
      amount: 1234,
      tip: 100,
      currency: 'USD',
      amountSats: 13_340,
      memo: '2 coffees',
      createdAt: '2026-11-22T10:00:00.000Z',
      expiresAt: '2026-11-22T10:10:00.000Z',
      paidAt: null,
    });
    expect(section(invoice.paymentRequest, 'amount')).toBe('13340000');
  });

  it('rounds fiat up to whole sats at the configured price', async () => {
    const { demo } = wallet({ btcPriceMinor: 9_712_345n }); // $97,123.45
    const invoice = await demo.createInvoice({ ...sale, amount: 100, memo: '' });
    expect(invoice.amountSats).toBe(1030); // 1029.6… rounded up
    expect(section(invoice.paymentRequest, 'amount')).toBe('1030000');
  });

  it('uses the store name when there is no memo, and takes SAT amounts as they are', async () => {
    const { demo } = wallet();
    const invoice = await demo.createInvoice({ ...sale, currency: 'SAT', amount: 21_000, memo: '' });
    expect(invoice.amountSats).toBe(21_000);
    expect(section(invoice.paymentRequest, 'description')).toBe('Demo Store');
  });

  it.each([
    ['regtest', 'lnbcrt'],
    ['testnet', 'lntb'],
    ['signet', 'lntbs'],
    ['mainnet', 'lnbc1'],
  ] as const)('uses the %s prefix %s', async (network, prefix) => {
    const { demo } = wallet({ network });
    const invoice = await demo.createInvoice(sale);
    expect(invoice.paymentRequest.startsWith(prefix)).toBe(true);
    expect(recoverPayee(invoice.paymentRequest).valid).toBe(true);
  });
});

describe('DemoWallet lifecycle', () => {
  it('warming up at start signs nothing anyone can see', async () => {
    const { demo } = wallet();
    demo.warmUp();
    expect(demo.all()).toEqual([]);
    expect(await demo.listSales({})).toEqual([]);
  });

  it('pending → paid, once', async () => {
    const { demo, advance } = wallet();
    const invoice = await demo.createInvoice(sale);
    advance(5_000);
    const paid = demo.pay(invoice.id);
    expect(paid).toMatchObject({ status: 'paid', paidAt: '2026-11-22T10:00:05.000Z' });
    advance(5_000);
    expect(demo.pay(invoice.id)).toEqual(paid); // paying twice changes nothing
    expect(await demo.getInvoice(invoice.id)).toEqual(paid);
  });

  it('expires at the BOLT11 expiry and then refuses payment', async () => {
    const { demo, advance } = wallet({ invoiceExpirySec: 60 });
    const invoice = await demo.createInvoice(sale);
    advance(59_999);
    expect((await demo.getInvoice(invoice.id))?.status).toBe('pending');
    advance(1);
    expect((await demo.getInvoice(invoice.id))?.status).toBe('expired');
    expect(() => demo.pay(invoice.id)).toThrow(ApiError);
    expect((await demo.getInvoice(invoice.id))?.paidAt).toBeNull();
  });

  it('cancels a pending invoice and then refuses payment', async () => {
    const { demo } = wallet();
    const invoice = await demo.createInvoice(sale);
    expect((await demo.cancelInvoice(invoice.id))?.status).toBe('cancelled');
    expect(() => demo.pay(invoice.id)).toThrow(/cancelled/);
  });

  it('refuses to cancel a paid invoice', async () => {
    const { demo } = wallet();
    const invoice = await demo.createInvoice(sale);
    demo.pay(invoice.id);
    await expect(demo.cancelInvoice(invoice.id)).rejects.toMatchObject({ status: 409, code: 'conflict' });
    expect((await demo.getInvoice(invoice.id))?.status).toBe('paid');
  });

  it('does not know other ids', async () => {
    const { demo } = wallet();
    expect(await demo.getInvoice('nope')).toBeNull();
    expect(await demo.cancelInvoice('nope')).toBeNull();
    expect(demo.pay('nope')).toBeNull();
  });

  it('forgets the oldest invoices beyond its capacity', async () => {
    const { demo } = wallet({ capacity: 3 });
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await demo.createInvoice(sale)).id);
    expect(await demo.getInvoice(ids[0]!)).toBeNull();
    expect(await demo.getInvoice(ids[1]!)).toBeNull();
    expect(demo.all().map((i) => i.id)).toEqual([ids[4], ids[3], ids[2]]);
  });

  it('quotes its rate from the configured price', async () => {
    const { demo } = wallet();
    expect(await demo.rate()).toEqual({
      currency: 'USD',
      satsPerUnit: 1000,
      btcPrice: 100_000,
      source: 'demo',
      at: '2026-11-22T10:00:00.000Z',
    });
  });
});
