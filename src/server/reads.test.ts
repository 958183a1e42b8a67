import { describe, expect, it } from 'vitest';
import type { Invoice } from '../contract/api';
import { stubProvider } from './test-support/harness';
import { CANCELLED_RECHECK_MS, InvoiceReads } from './reads';
import { MemoryStore } from './store';
import type { ReadContext } from './providers/provider';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');

function invoice(overrides: Partial<Invoice> = {}): Invoice {
  return {
    id: 'inv1',
    status: 'pending',
    paymentRequest: 'lnbc1',
    paymentHash: 'a'.repeat(64),
    amount: 100,
    tip: 0,
    currency: 'USD',
    amountSats: 1000,
    memo: '',
    createdAt: new Date(T0).toISOString(),
    expiresAt: new Date(T0 + 600_000).toISOString(),
    paidAt: null,
    ...overrides,
  };
}

function setup(answer: (context: ReadContext) => Invoice | null, policy = { minAgeMs: 1000 }) {
  let now = T0;
  const contexts: ReadContext[] = [];
  const provider = stubProvider({
    id: 'lnbits',
    readPolicy: policy,
    getInvoice: async (_id, context = {}) => {
      contexts.push(context);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return answer(context);
    },
  });
  const reads = new InvoiceReads(provider, new MemoryStore(1000, () => now), () => now);
  return { reads, contexts, advance: (ms: number) => (now += ms), at: () => now };
}

describe('InvoiceReads', () => {
  it('shares one provider read among concurrent polls', async () => {
    const { reads, contexts } = setup(() => invoice());
    await Promise.all(Array.from({ length: 25 }, () => reads.poll('inv1')));
    expect(contexts).toHaveLength(1);
  });

  it('serves a recent answer, and reads again once it is minAgeMs old', async () => {
    const { reads, contexts, advance } = setup(() => invoice());
    await reads.poll('inv1');
    advance(999);
    await reads.poll('inv1');
    expect(contexts).toHaveLength(1);
    advance(1);
    await reads.poll('inv1');
    expect(contexts).toHaveLength(2);
  });

  it('never reads a paid invoice again', async () => {
    const { reads, contexts, advance } = setup(() => invoice({ status: 'paid' }));
    await reads.poll('inv1');
    advance(60_000);
    await reads.poll('inv1');
    expect(contexts).toHaveLength(1);
  });

  it('keeps checking a cancelled invoice, slowly, until it has expired (a wallet may still pay it)', async () => {
    const { reads, contexts, advance } = setup(() => invoice({ status: 'cancelled' }));
    await reads.poll('inv1');
    advance(CANCELLED_RECHECK_MS - 1);
    await reads.poll('inv1');
    expect(contexts).toHaveLength(1);
    advance(1);
    await reads.poll('inv1');
    expect(contexts).toHaveLength(2);
    advance(600_000);
    await reads.poll('inv1'); // once past expiry
    advance(60_000);
    await reads.poll('inv1');
    expect(contexts).toHaveLength(3);
  });

  it('reads once more after expiry to settle it, then stops', async () => {
    const { reads, contexts, advance } = setup(() => invoice());
    await reads.poll('inv1');
    advance(600_000);
    await reads.poll('inv1'); // paid in the last second, or expired: ask
    advance(60_000);
    await reads.poll('inv1');
    expect(contexts).toHaveLength(2);
  });

  it('reads ahead of expiry when the provider renews (Strike quotes)', async () => {
    const { reads, contexts, advance } = setup(() => invoice({ expiresAt: new Date(T0 + 30_000).toISOString() }), {
      minAgeMs: 60_000,
      renewBeforeExpiryMs: 8_000,
    } as never);
    await reads.poll('inv1');
    advance(21_000);
    await reads.poll('inv1');
    expect(contexts).toHaveLength(1);
    advance(1_000);
    await reads.poll('inv1');
    expect(contexts).toHaveLength(2);
  });

  it('gives the adapter the previous answer and marks webhook reads urgent', async () => {
    const first = invoice();
    const { reads, contexts } = setup(() => first);
    await reads.remember(first);
    await reads.refresh('inv1');
    expect(contexts[0]).toEqual({ previous: first, readAt: T0, urgent: true });
  });

  it('takes a remembered invoice (from create) as a fresh read', async () => {
    const { reads, contexts } = setup(() => invoice());
    await reads.remember(invoice());
    expect((await reads.poll('inv1'))?.id).toBe('inv1');
    expect(contexts).toHaveLength(0);
  });

  it('two instances on one store share the last answer: the provider is asked once', async () => {
    let now = T0;
    const store = new MemoryStore(1000, () => now);
    let asked = 0;
    const provider = stubProvider({
      id: 'lnbits',
      readPolicy: { minAgeMs: 1000 },
      getInvoice: async () => {
        asked += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return invoice();
      },
    });
    const a = new InvoiceReads(provider, store, () => now);
    const b = new InvoiceReads(provider, store, () => now);
    await a.poll('inv1');
    expect(asked).toBe(1);
    await b.poll('inv1'); // fresh in the store: no read
    expect(asked).toBe(1);
    now += 1000;
    await Promise.all([a.poll('inv1'), b.poll('inv1'), a.poll('inv1'), b.poll('inv1')]);
    expect(asked).toBe(2); // one lease, one read
  });

  it('lets errors through, and the next poll tries again', async () => {
    let fail = true;
    const provider = stubProvider({
      id: 'lnbits',
      readPolicy: { minAgeMs: 1000 },
      getInvoice: async () => {
        if (fail) throw new Error('provider down');
        return invoice();
      },
    });
    const reads = new InvoiceReads(provider, new MemoryStore(), () => T0);
    await expect(reads.poll('inv1')).rejects.toThrow('provider down');
    fail = false;
    expect((await reads.poll('inv1'))?.status).toBe('pending');
  });
});
