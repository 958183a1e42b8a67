/**
 * Tap to pay (`POST /api/invoices/:id/withdraw`): the tablet read a customer's Bolt Card and
 * hands its LNURL-withdraw link here; the proxy asks the card's service to pay this invoice
 * (lnurl/withdraw.ts). Only a cashier session may ask, taps are limited per tablet and per sale,
 * and one tap at a time per invoice goes out. The invoice becomes paid as always: when the
 * provider says so.
 */
import { defaultCardTransport } from '#card-transport';
import { Hono } from 'hono';
import { InvoiceId } from '../../contract/api';
import { CardWithdrawRequest, type CardWithdrawal } from '../../contract/cards';
import { requireRole } from '../auth';
import { ApiError, notFound } from '../errors';
import { CARD_TAP_TIMEOUT_MS, type CardTransport } from '../lnurl/fetch';
import { hostOfLink, withdrawWithCard } from '../lnurl/withdraw';
import { callOf } from '../deadline';
import type { Services } from '../services';
import { readerOf } from '../session-key';
import { jsonBody, paramsOf } from '../validation';
import { z } from '../zod';

/** Taps one sale may get: a customer retrying a declined card, then the QR. */
export const CARD_TAPS_PER_INVOICE = 10;
export const CARD_INVOICE_WINDOW_MS = 10 * 60_000;
/** Longer than a tap can take, so a crashed instance's claim lapses by itself. */
const BUSY_TTL_MS = CARD_TAP_TIMEOUT_MS + 5_000;

const IdParam = z.object({ id: InvoiceId });

export function withdrawRoutes(
  { config, store, reads, log, now, clientId, sessions }: Services,
  transport: CardTransport = defaultCardTransport(),
) {
  const policy = { loopbackPorts: config.cardLoopbackPorts };

  /** Counted before anything else is done, so that refused taps count too. */
  async function limitTaps(client: string, invoiceId: string): Promise<void> {
    const minute = Math.floor(now() / 60_000);
    const byTablet = await store.increment(`card-taps:${client}:${minute}`, 1, 120_000);
    if (byTablet > config.cardTapLimitPerMinute) {
      throw new ApiError(429, 'rate_limited', 'Too many card taps in a minute from this tablet. Wait a moment, or scan the QR.', undefined, {
        'Retry-After': String(60 - Math.floor((now() / 1000) % 60)),
      });
    }
    const bySale = await store.increment(`card-taps-invoice:${invoiceId}`, 1, CARD_INVOICE_WINDOW_MS);
    if (bySale > CARD_TAPS_PER_INVOICE) {
      throw new ApiError(429, 'rate_limited', 'Too many card taps for this sale. Scan the QR instead.', undefined, {
        'Retry-After': String(CARD_INVOICE_WINDOW_MS / 1000),
      });
    }
  }

  return new Hono()
    .use(requireRole('cashier', sessions))
    .post('/:id/withdraw', paramsOf(IdParam), jsonBody(CardWithdrawRequest), async (c) => {
      const { id } = c.req.valid('param');
      const { lnurl } = c.req.valid('json');
      await limitTaps(clientId(c), id);

      const invoice = await reads.poll(id, readerOf(c));
      if (!invoice) throw notFound();
      if (invoice.status !== 'pending') {
        throw new ApiError(409, 'conflict', `This invoice is ${invoice.status}, so a card cannot pay it.`, { status: invoice.status });
      }
      // One tap at a time per invoice, across instances: a second card (or a double read of one)
      // waits for the first to be answered.
      const busyKey = `card-busy:${id}`;
      const holder = crypto.randomUUID();
      if ((await store.claim(busyKey, holder, BUSY_TTL_MS)) !== holder) {
        throw new ApiError(409, 'conflict', 'A card is already paying this invoice. Wait for its answer.', { cardBusy: true });
      }
      try {
        const { host } = await withdrawWithCard(lnurl, invoice, { transport, policy, now });
        // The host is all that is logged about a card: never its link, `p`, `c` or `k1`.
        log.info('card tap accepted', { invoice: id, host });
      } catch (error) {
        log.info('card tap failed', {
          invoice: id,
          host: hostOfLink(lnurl, policy) ?? 'unknown',
          code: error instanceof ApiError ? error.code : 'internal_error',
        });
        throw error;
      } finally {
        await store.delete(busyKey);
      }

      // The service may have paid at once: read now, as after a webhook, so the tablet sees it.
      const fresh = await reads.refresh(id, callOf(c, 'checkout')).catch(() => null);
      const body: CardWithdrawal = { status: 'accepted', ...(fresh?.invoice ? { invoice: reads.shown(fresh.invoice, fresh.readAt) } : {}) };
      return c.json(body);
    });
}
