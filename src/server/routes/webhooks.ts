/**
 * Provider webhooks (docs/api.md `POST /api/webhooks/:provider`). A webhook is only a hint: it is
 * authenticated by the adapter (signature over the raw bytes, or LNbits' per-sale token), stale
 * deliveries are refused, and then the invoice is read again from the provider — nothing is marked
 * paid because a webhook said so. A delivery counts as handled (and its replays are dropped) only
 * once that read happened; until then the answer asks the provider to send it again.
 */
import { Hono } from 'hono';
import { callOf } from '../deadline';
import { ApiError, ProviderError } from '../errors';
import type { Services } from '../services';

/** Deliveries older than this are refused: a replay, or a retry long after it mattered. */
export const WEBHOOK_MAX_AGE_MS = 60 * 60_000;
/** How long a delivery id is remembered for deduplication. */
export const WEBHOOK_DEDUP_MS = 24 * 3600_000;

export function webhookRoutes({ provider, reads, store, now, log }: Services) {
  return new Hono().post('/:provider', async (c) => {
    const name = c.req.param('provider');
    const webhooks = name === provider.id ? provider.webhooks : undefined;
    if (!webhooks) throw new ApiError(404, 'not_found', 'This POS expects no webhooks from that provider.');

    const rawBody = new Uint8Array(await c.req.arrayBuffer());
    const hint = await webhooks.verify({ rawBody, headers: c.req.raw.headers, url: new URL(c.req.url) });
    if (hint.sentAt !== null && now() - hint.sentAt > WEBHOOK_MAX_AGE_MS) {
      throw new ApiError(400, 'invalid_request', 'This webhook delivery is too old to act on.');
    }
    const seenKey = hint.deliveryId ? `webhook:${provider.id}:${hint.deliveryId}` : null;
    if (seenKey && (await store.get(seenKey)) !== undefined) return c.body(null, 204);

    if (hint.invoiceId) {
      // Errors propagate (503/504): the provider then delivers again, and nothing was marked seen.
      const read = await reads.refresh(hint.invoiceId, callOf(c, 'webhook'));
      if (read.known && !read.fresh) {
        // The read was held back (the provider asked the POS to slow down): ask for the webhook again.
        throw new ProviderError('unavailable', 'The POS could not read this invoice now. Send the webhook again later.');
      }
      if (read.invoice && hint.reference !== undefined && read.invoice.reference !== hint.reference) {
        // A token made for one sale, used for another payment: read, and refused.
        throw new ApiError(401, 'invalid_signature', 'This webhook’s token is not for this payment.');
      }
      log.info('webhook', { provider: provider.id, invoice: hint.invoiceId, status: read.invoice?.status ?? (read.known ? 'unknown' : 'not this POS’s') });
    }
    if (seenKey) await store.set(seenKey, now(), WEBHOOK_DEDUP_MS);
    return c.body(null, 204);
  });
}
