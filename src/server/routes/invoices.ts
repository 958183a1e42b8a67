/** Create, read and cancel invoices (docs/api.md `/api/invoices`). */
import { Hono, type MiddlewareHandler } from 'hono';
import { CreateInvoiceRequest, IdempotencyKey, InvoiceId, MANAGER_AS_CASHIER } from '../../contract/api';
import { MAX_INVOICE_SATS, priceInMinorUnits, SAT, satsFor } from '../../contract/money';
import { requireRole } from '../auth';
import { callOf } from '../deadline';
import { ApiError, notFound } from '../errors';
import { createOrRecover, IdempotentCreates, referenceFor } from '../idempotency';
import type { Call, NewInvoice } from '../providers/provider';
import type { Services } from '../services';
import { readerOf } from '../session-key';
import { invalid, jsonBody, paramsOf, queryOf } from '../validation';
import { HeldReads, tabletOf, WaitQuery } from '../waiters';
import { z } from '../zod';

const IdParam = z.object({ id: InvoiceId });

export function invoiceRoutes({ config, provider, store, rates, reads, waiters, now, clientId, deadlineMs, sessions }: Services) {
  const creates = new IdempotentCreates(store, now);
  const held = new HeldReads(reads, waiters, provider.readPolicy, { maxHoldMs: config.wait.maxSeconds * 1000, maxHeld: config.wait.maxHeld }, now);

  const overLimit = () =>
    invalid({ amount: `amount + tip must not exceed the equivalent of ${MAX_INVOICE_SATS.toLocaleString('en')} sats` });

  /**
   * The upper bound (docs/api.md): amount + tip may not exceed the equivalent of 10,000,000 sats.
   * Checked before asking the provider when the rate is known, and always on the BOLT11 it issues.
   */
  async function assertWithinLimit(total: number, currency: string, call: Call): Promise<void> {
    let priceMinor = 0n;
    if (currency !== SAT) {
      const rate = await rates.current(call).catch(() => null);
      if (!rate) return; // no price to convert with: the issued invoice is checked instead
      priceMinor = priceInMinorUnits(rate.btcPrice, currency);
    }
    if (satsFor(total, currency, priceMinor) > MAX_INVOICE_SATS) throw overLimit();
  }

  /** Makes the invoice (or finds it after a lost answer), checks its amount, and keeps it as read. */
  async function create(input: NewInvoice, call: Call) {
    const invoice = await createOrRecover(provider, input, call, now);
    if (invoice.amountSats > MAX_INVOICE_SATS) {
      await provider.cancelInvoice(invoice.id, call).catch(() => null);
      throw overLimit();
    }
    await reads.remember(invoice);
    return reads.shown(invoice, now());
  }

  /** A flood of invoices from one client is refused before anyone asks the provider. */
  function createLimit(): MiddlewareHandler {
    return async (c, next) => {
      const minute = Math.floor(now() / 60_000);
      const count = await store.increment(`create:${clientId(c)}:${minute}`, 1, 120_000);
      if (count > config.createLimitPerMinute) {
        const retryAfter = String(60 - Math.floor((now() / 1000) % 60));
        throw new ApiError(429, 'rate_limited', 'Too many invoices in a minute from this tablet. Wait a moment and try again.', undefined, {
          'Retry-After': retryAfter,
        });
      }
      await next();
    };
  }

  return new Hono()
    .use(requireRole('cashier', sessions))
    .post('/', createLimit(), jsonBody(CreateInvoiceRequest), async (c) => {
      const body = c.req.valid('json');
      const keyHeader = c.req.header('Idempotency-Key');
      let key: string | undefined;
      if (keyHeader !== undefined) {
        const parsed = z.safeParse(IdempotencyKey, keyHeader);
        if (!parsed.success) throw invalid({ 'Idempotency-Key': parsed.error.issues[0]?.message ?? 'is not valid' });
        key = parsed.data;
      }
      if (body.currency !== config.currency && body.currency !== SAT) {
        throw invalid({ currency: `must be ${config.currency} or SAT` });
      }
      const sale = { amount: body.amount, tip: body.tip ?? 0, currency: body.currency, memo: body.memo?.trim() ?? '' };
      // Whoever is signed in charges it (a cashier's session names them; the manager's sales are
      // the manager's). Not part of the request's fingerprint: a replay of the same Idempotency-Key
      // gets the invoice its first attempt made, with the cashier who made it.
      const session = c.get('session');
      const cashier = session.role === 'cashier' && session.cid ? session.cid : MANAGER_AS_CASHIER.id;
      const call = callOf(c, 'checkout');
      await assertWithinLimit(sale.amount + sale.tip, sale.currency, call);

      if (key === undefined) return c.json(await create({ ...sale, cashier, reference: crypto.randomUUID() }, call), 201);
      const attempt = { ...sale, cashier, reference: referenceFor(key) };
      const outcome = await creates.run(
        key,
        JSON.stringify(sale),
        () => create(attempt, call),
        (id) => reads.poll(id, readerOf(c)),
        async (since) => {
          const found = await provider.findExisting(attempt, since, call);
          if (!found) return null;
          await reads.remember(found);
          return reads.shown(found, now());
        },
      );
      return c.json(outcome.invoice, outcome.replayed ? 200 : 201);
    })
    .get('/:id', paramsOf(IdParam), queryOf(WaitQuery), async (c) => {
      const { id } = c.req.valid('param');
      const { wait, since } = c.req.valid('query');
      const invoice =
        wait === undefined
          ? await reads.poll(id, readerOf(c))
          : await held.read(id, {
              waitMs: wait * 1000,
              since,
              tablet: tabletOf(c, clientId),
              signal: c.req.raw.signal,
              // A hold outlasts one deadline: each of its reads gets a whole one.
              reader: () => ({ ...readerOf(c), signal: AbortSignal.timeout(deadlineMs) }),
            });
      if (!invoice) throw notFound();
      return c.json(invoice);
    })
    .post('/:id/cancel', paramsOf(IdParam), async (c) => {
      const id = c.req.valid('param').id;
      // Only what this POS made or saw may be cancelled; the rest is not found, without asking.
      if (!(await reads.isOurs(id, readerOf(c)))) throw notFound();
      const invoice = await provider.cancelInvoice(id, callOf(c, 'checkout'));
      if (!invoice || invoice.reference === null) throw notFound();
      await reads.remember(invoice);
      return c.json(reads.shown(invoice, now()));
    });
}
