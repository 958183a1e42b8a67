/** The read boundary, against a stub provider: when the provider is asked, and what the API shows. */
import { describe, expect, it } from 'vitest';
import { stubProvider } from './test-support/harness';
import { LATE_WATCH_MIN_MS } from '../contract/late-payments';
import { InvoiceReads, RECHECK_MS, SESSION_READS_PER_MINUTE, UNKNOWN_LOOKUPS, type Reader } from './reads';
import { MemoryStore } from './store';
import type { ProviderInvoice, ReadContext, ReadPolicy } from './providers/provider';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');

function invoice(overrides: Partial<ProviderInvoice> = {}): ProviderInvoice {
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
    reference: 'sale-1',
    cashier: null,
    ...overrides,
  };
}

const reader = (session = 's1'): Reader => ({ signal: new AbortController().signal, purpose: 'checkout', session });

function setup(answer: (context: ReadContext) => ProviderInvoice | null, policy: ReadPolicy = { minAgeMs: 1000 }) {
  let now = T0;
  const contexts: ReadContext[] = [];
  const provider = stubProvider({
    id: 'lnbits',
    readPolicy: policy,
    getInvoice: async (_id, context) => {
      contexts.push(context);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return answer(context);
    },
  });
  const store = new MemoryStore(10_000, () => now);
  const reads = new InvoiceReads(provider, store, () => now);
  return { reads, store, contexts, advance: (ms: number) => (now += ms) };
}

/** A stub whose invoice the proxy made: known, with a first answer on record. */
async function known(answer: (context: ReadContext) => ProviderInvoice | null, policy?: ReadPolicy) {
  const run = setup(answer, policy);
  await run.reads.remember(invoice());
  return run;
}

describe('InvoiceReads: how often the provider is asked', () => {
  it('shares one provider read among concurrent polls', async () => {
    const { reads, contexts, advance } = await known(() => invoice());
    advance(1000);
    await Promise.all(Array.from({ length: 25 }, () => reads.poll('inv1', reader())));
    expect(contexts).toHaveLength(1);
  });

  it('serves a recent answer, and reads again once it is minAgeMs old', async () => {
    const { reads, contexts, advance } = await known(() => invoice());
    advance(999);
    await reads.poll('inv1', reader());
    expect(contexts).toHaveLength(0);
    advance(1);
    await reads.poll('inv1', reader());
    expect(contexts).toHaveLength(1);
  });

  it('never reads a paid invoice again', async () => {
    const { reads, contexts, advance } = await known(() => invoice({ status: 'paid', paidAt: new Date(T0).toISOString() }));
    advance(1000);
    await reads.poll('inv1', reader());
    advance(3600_000);
    await reads.poll('inv1', reader());
    expect(contexts).toHaveLength(1);
  });

  it('after the expiry and after a cancel, looks again slowly for a while: a late payment is a sale', async () => {
    const { reads, contexts, advance } = await known(() => invoice({ status: 'cancelled' }));
    advance(1000);
    await reads.poll('inv1', reader());
    advance(RECHECK_MS - 1);
    await reads.poll('inv1', reader());
    expect(contexts).toHaveLength(1);
    advance(1);
    await reads.poll('inv1', reader());
    expect(contexts).toHaveLength(2);
    advance(600_000 + LATE_WATCH_MIN_MS);
    await reads.poll('inv1', reader());
    advance(3600_000);
    await reads.poll('inv1', reader());
    expect(contexts).toHaveLength(3);
  });

  it('a sale that lasted longer is watched as long again past its expiry, as the checkout watches it', async () => {
    const oneHour = invoice({ status: 'expired', expiresAt: new Date(T0 + 3600_000).toISOString() });
    const { reads, contexts, advance } = await known(() => oneHour);
    advance(3600_000);
    await reads.poll('inv1', reader());
    expect(contexts).toHaveLength(1);
    // 50 minutes past the expiry: past the 10 minutes' least, inside the sale's own hour.
    advance(50 * 60_000);
    await reads.poll('inv1', reader());
    expect(contexts).toHaveLength(2);
    advance(3600_000);
    await reads.poll('inv1', reader());
    advance(60_000);
    await reads.poll('inv1', reader());
    expect(contexts).toHaveLength(3);
  });

  it('a cancel the provider revokes is final', async () => {
    const { reads, contexts, advance } = await known(() => invoice({ status: 'cancelled' }), { minAgeMs: 1000, cancelRevokes: true });
    advance(1000);
    await reads.poll('inv1', reader());
    advance(60_000);
    await reads.poll('inv1', reader());
    expect(contexts).toHaveLength(1);
  });

  it('reads ahead of expiry when the provider renews (Strike quotes)', async () => {
    const { reads, contexts, advance } = setup(() => invoice({ expiresAt: new Date(T0 + 30_000).toISOString() }), {
      minAgeMs: 60_000,
      renewBeforeExpiryMs: 8_000,
    });
    await reads.remember(invoice({ expiresAt: new Date(T0 + 30_000).toISOString() }));
    advance(21_000);
    await reads.poll('inv1', reader());
    expect(contexts).toHaveLength(0);
    advance(1_000);
    await reads.poll('inv1', reader());
    expect(contexts).toHaveLength(1);
  });

  it('gives the adapter the previous answer and marks webhook reads urgent', async () => {
    const { reads, contexts } = await known(() => invoice());
    const result = await reads.refresh('inv1', reader());
    expect(contexts[0]).toMatchObject({ previous: invoice(), readAt: T0, urgent: true });
    expect(result).toMatchObject({ known: true, fresh: true });
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
    await a.remember(invoice());
    now += 1000;
    await a.poll('inv1', reader());
    expect(asked).toBe(1);
    await b.poll('inv1', reader()); // fresh in the store: no read
    expect(asked).toBe(1);
    now += 1000;
    await Promise.all([a.poll('inv1', reader()), b.poll('inv1', reader()), a.poll('inv1', reader()), b.poll('inv1', reader())]);
    expect(asked).toBe(2); // one lease, one read
  });

  it('lets errors through, and the next poll tries again', async () => {
    let fail = true;
    const { reads, advance } = await known(() => {
      if (fail) throw new Error('provider down');
      return invoice();
    });
    advance(1000);
    await expect(reads.poll('inv1', reader())).rejects.toThrow('provider down');
    fail = false;
    expect((await reads.poll('inv1', reader()))?.status).toBe('pending');
  });
});

describe('InvoiceReads: what the API shows', () => {
  it('expired only from a read made after the expiry; a held answer keeps its status', async () => {
    // The adapter is over its budget: it hands back the last answer, read before the expiry.
    const { reads, advance } = await known((context) => context.previous ?? null);
    advance(700_000);
    expect((await reads.poll('inv1', reader()))?.status).toBe('pending');
  });

  it('a fresh read after the expiry that still says pending reads expired; paid in the last second stays paid', async () => {
    let answer = invoice();
    const { reads, advance } = await known(() => answer);
    advance(600_000);
    expect((await reads.poll('inv1', reader()))?.status).toBe('expired');
    answer = invoice({ status: 'paid', paidAt: new Date(T0 + 599_000).toISOString() });
    advance(RECHECK_MS);
    expect((await reads.poll('inv1', reader()))?.status).toBe('paid');
  });

  it('never shows what the provider holds for others: someone else’s invoice is not found', async () => {
    const { reads, contexts } = setup(() => invoice({ reference: null }));
    expect(await reads.poll('inv1', reader())).toBeNull();
    expect(await reads.poll('inv1', reader())).toBeNull();
    expect(contexts).toHaveLength(1);
  });

  it('does not show the sale’s reference', async () => {
    const { reads } = await known(() => invoice());
    expect(await reads.poll('inv1', reader())).not.toHaveProperty('reference');
  });
});

describe('InvoiceReads: ids and sessions', () => {
  it('ids the proxy never made or saw cost a few lookups per session, then 404 without asking', async () => {
    const { reads, contexts } = setup(() => null);
    for (let i = 0; i < 20; i++) expect(await reads.poll(`made-up-${i}`, reader('curious'))).toBeNull();
    expect(contexts).toHaveLength(UNKNOWN_LOOKUPS);
    // Another session has its own allowance; the same unknown id is not asked twice.
    expect(await reads.poll('made-up-0', reader('other'))).toBeNull();
    expect(await reads.poll('made-up-99', reader('other'))).toBeNull();
    expect(contexts).toHaveLength(UNKNOWN_LOOKUPS + 1);
  });

  it('an id found once is known: it never spends the allowance again', async () => {
    const { reads, contexts, advance } = setup(() => invoice());
    expect(await reads.poll('inv1', reader())).not.toBeNull();
    for (let i = 0; i < 20; i++) {
      advance(1000);
      await reads.poll('inv1', reader());
    }
    expect(contexts).toHaveLength(21);
  });

  it('limits the reads one session causes; past it, polls get the last answer', async () => {
    // A provider cheap enough to read on every poll, polled ten times a second, far beyond any checkout.
    const { reads, contexts, advance } = await known(() => invoice(), { minAgeMs: 0 });
    let answered = 0;
    for (let i = 0; i < SESSION_READS_PER_MINUTE + 30; i++) {
      advance(100);
      if (await reads.poll('inv1', reader('greedy'))) answered += 1;
    }
    expect(answered).toBe(SESSION_READS_PER_MINUTE + 30);
    expect(contexts).toHaveLength(SESSION_READS_PER_MINUTE);
    // Another session is not held back by it.
    await reads.poll('inv1', reader('calm'));
    expect(contexts).toHaveLength(SESSION_READS_PER_MINUTE + 1);
  });

  it('scales the limit with a generous provider, and sets none where reads cost nothing (the demo)', async () => {
    for (const [readsPerMinute, expected] of [[4000, 1000], [Infinity, SESSION_READS_PER_MINUTE + 30]] as const) {
      const { reads, contexts, advance } = await known(() => invoice(), { minAgeMs: 0, readsPerMinute });
      for (let i = 0; i < SESSION_READS_PER_MINUTE + 30; i++) {
        advance(10);
        await reads.poll('inv1', reader('busy'));
      }
      expect(contexts).toHaveLength(Math.min(expected, SESSION_READS_PER_MINUTE + 30));
    }
  });

  it('a webhook for an id the proxy never made reads nothing', async () => {
    const { reads, contexts } = setup(() => invoice());
    expect(await reads.refresh('someone-elses', reader())).toMatchObject({ known: false, invoice: null });
    expect(contexts).toHaveLength(0);
  });
});
