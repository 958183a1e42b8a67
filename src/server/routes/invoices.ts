/** Create, read and cancel invoices (API.md `/api/invoices`). */
import { Hono } from 'hono';
import { CreateInvoiceRequest, IdempotencyKey, InvoiceId, type Invoice } from '../../contract/api';
import { MAX_INVOICE_SATS, priceInMinorUnits, SAT, satsFor } from '../../contract/money';
import type { Services } from '../app';
import { requireRole } from '../auth';
import { notFound } from '../errors';
import { IdempotentCreates, referenceFor } from '../idempotency';
import { withEffectiveStatus } from '../providers/provider';
import { invalid, jsonBody, paramsOf } from '../validation';
import { z } from '../zod';

const IdParam = z.object({ id: InvoiceId });

export function invoiceRoutes({ config, provider, store, rates, now }: Services) {
  const creates = new IdempotentCreates(store);
  const present = (invoice: Invoice) => withEffectiveStatus(invoice, now());

  /** API.md's upper bound: amount + tip may not exceed the equivalent of 10,000,000 sats. */
  async function assertWithinLimit(total: number, currency: string): Promise<void> {
    const priceMinor = currency === SAT ? 0n : priceInMinorUnits((await rates.current()).btcPrice, currency);
    if (satsFor(total, currency, priceMinor) > MAX_INVOICE_SATS) {
      throw invalid({ amount: `amount + tip must not exceed the equivalent of ${MAX_INVOICE_SATS.toLocaleString('en')} sats` });
    }
  }

  return new Hono()
    .use(requireRole('cashier', config.sessionSecret))
    .post('/', jsonBody(CreateInvoiceRequest), async (c) => {
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
      await assertWithinLimit(sale.amount + sale.tip, sale.currency);

      if (key === undefined) {
        const invoice = await provider.createInvoice({ ...sale, reference: crypto.randomUUID() });
        return c.json(present(invoice), 201);
      }
      const outcome = await creates.run(
        key,
        JSON.stringify(sale),
        () => provider.createInvoice({ ...sale, reference: referenceFor(key) }),
        (id) => provider.getInvoice(id),
      );
      return c.json(present(outcome.invoice), outcome.replayed ? 200 : 201);
    })
    .get('/:id', paramsOf(IdParam), async (c) => {
      const invoice = await provider.getInvoice(c.req.valid('param').id);
      if (!invoice) throw notFound();
      return c.json(present(invoice));
    })
    .post('/:id/cancel', paramsOf(IdParam), async (c) => {
      const invoice = await provider.cancelInvoice(c.req.valid('param').id);
      if (!invoice) throw notFound();
      return c.json(present(invoice));
    });
}
