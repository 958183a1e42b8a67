/** Create, read and cancel invoices (API.md `/api/invoices`). */
import { Hono, type MiddlewareHandler } from 'hono';
import { CreateInvoiceRequest, IdempotencyKey, InvoiceId, MANAGER_AS_CASHIER, type Invoice, type SaleCashier } from '../../contract/api';
import { MAX_INVOICE_SATS, priceInMinorUnits, SAT, satsFor } from '../../contract/money';
import type { Services } from '../app';
import { requireRole, type SessionClaims } from '../auth';
import { ApiError, notFound } from '../errors';
import { createOrRecover, IdempotentCreates, referenceFor } from '../idempotency';
import { withEffectiveStatus } from '../providers/provider';
import { invalid, jsonBody, paramsOf, queryOf } from '../validation';
import { HeldReads, tabletOf, WaitQuery } from '../waiters';
import { z } from '../zod';

const IdParam = z.object({ id: InvoiceId });

export function invoiceRoutes({ config, provider, store, rates, reads, waiters, now, clientId, sessions }: Services) {
  const cashierOf = (session: SessionClaims): SaleCashier => {
    const cashier = session.cid ? config.cashiers.find((c) => c.id === session.cid) : undefined;
    return cashier ? { id: cashier.id, name: cashier.name } : MANAGER_AS_CASHIER;
  };
  const creates = new IdempotentCreates(store, now);
  const held = new HeldReads(reads, waiters, provider.readPolicy, { maxHoldMs: config.wait.maxSeconds * 1000, maxHeld: config.wait.maxHeld }, now);
  const present = (invoice: Invoice) => withEffectiveStatus(invoice, now());

  const overLimit = () =>
    invalid({ amount: `amount + tip must not exceed the equivalent of ${MAX_INVOICE_SATS.toLocaleString('en')} sats` });

  /**
   * API.md's upper bound: amount + tip may not exceed the equivalent of 10,000,000 sats. Checked
   * before asking the provider when the rate is known, and always on the BOLT11 it issues.
   */
  async function assertWithinLimit(total: number, currency: string): Promise<void> {
    let priceMinor = 0n;
    if (currency !== SAT) {
      const rate = await rates.current().catch(() => null);
      if (!rate) return; // no price to convert with: the issued invoice is checked instead
      priceMinor = priceInMinorUnits(rate.btcPrice, currency);
    }
    if (satsFor(total, currency, priceMinor) > MAX_INVOICE_SATS) throw overLimit();
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
      const sale = {
        amount: body.amount,
        tip: body.tip ?? 0,
        currency: body.currency,
        memo: body.memo?.trim() ?? '',
      };
      // Whoever is signed in charges it. Not part of the request's fingerprint: a retry of the same
      // Idempotency-Key gets the invoice its first attempt made, with the cashier who made it.
      const cashier = cashierOf(c.get('session'));
      await assertWithinLimit(sale.amount + sale.tip, sale.currency);

      const create = async (reference: string) => {
        const invoice = await createOrRecover(provider, { ...sale, cashier, reference }, now);
        if (invoice.amountSats > MAX_INVOICE_SATS) {
          await provider.cancelInvoice(invoice.id).catch(() => null);
          throw overLimit();
        }
        await reads.remember(invoice);
        return invoice;
      };
      if (key === undefined) return c.json(present(await create(crypto.randomUUID())), 201);
      const attempt = { ...sale, cashier, reference: referenceFor(key) };
      const outcome = await creates.run(
        key,
        JSON.stringify(sale),
        () => create(attempt.reference),
        (id) => reads.poll(id),
        (since) => provider.findExisting(attempt, since),
      );
      if (outcome.replayed) await reads.remember(outcome.invoice);
      return c.json(present(outcome.invoice), outcome.replayed ? 200 : 201);
    })
    .get('/:id', paramsOf(IdParam), queryOf(WaitQuery), async (c) => {
      const { id } = c.req.valid('param');
      const { wait, since } = c.req.valid('query');
      const invoice =
        wait === undefined
          ? await reads.poll(id)
          : await held.read(id, { waitMs: wait * 1000, since, tablet: tabletOf(c, clientId), signal: c.req.raw.signal });
      if (!invoice) throw notFound();
      return c.json(present(invoice));
    })
    .post('/:id/cancel', paramsOf(IdParam), async (c) => {
      const invoice = await provider.cancelInvoice(c.req.valid('param').id);
      if (!invoice) throw notFound();
      await reads.remember(invoice);
      return c.json(present(invoice));
    });
}
