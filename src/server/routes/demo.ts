/** The demo wallet's "customer pays" route (docs/api.md, demo only). */
import { Hono } from 'hono';
import { InvoiceId } from '../../contract/api';
import type { Services } from '../services';
import { requireRole } from '../auth';
import { ApiError, notFound } from '../errors';
import { paramsOf } from '../validation';
import { z } from '../zod';

export function demoRoutes({ sessions, demo, reads }: Services) {
  return new Hono()
    .use(requireRole('cashier', sessions))
    .post('/invoices/:id/pay', paramsOf(z.object({ id: InvoiceId })), async (c) => {
      if (!demo) throw new ApiError(404, 'not_found', 'Simulated payments exist only on the demo wallet.');
      const invoice = demo.pay(c.req.valid('param').id);
      if (!invoice) throw notFound();
      await reads.remember(invoice);
      return c.json(invoice);
    });
}
