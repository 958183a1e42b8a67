/**
 * The checkout's read of its invoice, held by the proxy until the invoice changes (docs/api.md).
 * Its own module so that it loads with the checkout screen, not with the keypad.
 *
 * Only the checkout holds its reads. The recent sales and the history's detail read plainly
 * (`invoiceQuery`): over HTTP/1.1 a browser keeps six connections to one origin, held reads for
 * ten recent sales would take them all and leave none for a Charge, and nobody there is waiting
 * on a customer.
 */
import { queryOptions, type Query, type QueryClient } from '@tanstack/react-query';
import { Invoice } from '../../contract/api';
import { invoiceVersion, MAX_WAIT_SECONDS } from '../../contract/wait';
import { apiRequest, REQUEST_TIMEOUT_MS, unreachable } from '../lib/api';
import { invoicePath, invoiceQuery, nextReadMs, POLL_INTERVAL_MS } from './invoices';

/**
 * The checkout's read of its invoice: while it is pending, each read asks the proxy to hold it
 * until the invoice changes (`wait`, with `since` saying what the screen shows), and the next
 * goes out as soon as it answers. So a payment shows the moment the proxy learns of it, at two or
 * three requests a minute. Where held reads keep coming back early and unchanged, or failing (a
 * proxy on the way that cannot hold them), the checkout polls each second instead for a while.
 * The same key as `invoiceQuery`: both read the same invoice, and seeding one seeds the other.
 */
export const checkoutInvoiceQuery = (id: string) =>
  queryOptions({
    ...invoiceQuery(id),
    queryFn: ({ signal, client }) => readHeld(id, signal, client),
    refetchInterval: heldPollIntervalMs,
  });

/** How long the checkout asks the proxy to hold a read (the proxy may hold it less). */
export const HELD_READ_SECONDS = MAX_WAIT_SECONDS;
/** A held read that comes back unchanged sooner than this was cut short on the way. */
export const CUT_SHORT_MS = 5_000;
/** Held reads in a row cut short or failed before the checkout polls each second instead… */
export const CUT_SHORT_LIMIT = 3;
/** …for this long, then holds again. */
export const PLAIN_POLLING_MS = 5 * 60_000;
/** The gap between one held read's answer and the next (0 would turn the interval off). */
const NEXT_HELD_READ_MS = 1;

/** How held reads have fared on this tablet's network path (for the whole page, not one invoice). */
const heldReads = { cutShortInARow: 0, plainUntil: 0 };

/** Whether the checkout holds its reads now, rather than polling each second. */
export function holdingReads(now = Date.now()): boolean {
  return now >= heldReads.plainUntil;
}

/** Counts held reads cut short (or failed) in a row; past the limit, plain polling for a while. */
export function heldReadEnded(cutShort: boolean, now = Date.now()): void {
  if (!cutShort) {
    heldReads.cutShortInARow = 0;
  } else if (++heldReads.cutShortInARow >= CUT_SHORT_LIMIT) {
    heldReads.cutShortInARow = 0;
    heldReads.plainUntil = now + PLAIN_POLLING_MS;
  }
}

async function readHeld(id: string, signal: AbortSignal, client: QueryClient): Promise<Invoice> {
  const shown = client.getQueryData(invoiceQuery(id).queryKey);
  if (shown?.status !== 'pending' || !holdingReads()) return apiRequest(Invoice, invoicePath(id), { signal });
  const since = invoiceVersion(shown);
  const startedAt = Date.now();
  // A held connection may hang unnoticed when the network drops: let go of it then, so that the
  // read is retried (once back online) on a fresh one instead of waiting out its timeout.
  const offline = new AbortController();
  const wentOffline = () => offline.abort();
  window.addEventListener('offline', wentOffline);
  try {
    const invoice = await apiRequest(Invoice, `${invoicePath(id)}?wait=${HELD_READ_SECONDS}&since=${since}`, {
      signal: AbortSignal.any([signal, offline.signal]),
      timeoutMs: HELD_READ_SECONDS * 1000 + REQUEST_TIMEOUT_MS,
    });
    heldReadEnded(invoiceVersion(invoice) === since && Date.now() - startedAt < CUT_SHORT_MS);
    return invoice;
  } catch (error) {
    // Leaving the checkout aborts the read: that says nothing about the network.
    if (signal.aborted) throw error;
    heldReadEnded(true);
    throw offline.signal.aborted ? unreachable() : error;
  } finally {
    window.removeEventListener('offline', wentOffline);
  }
}

/**
 * While pending and holding, the next read goes out as soon as the last has answered; while one
 * is out, nothing else is scheduled. Otherwise as `invoiceQuery` reads: every second (the first
 * read, after a failure, or polling plainly), slowly while a late payment may come, then never.
 */
export function heldPollIntervalMs(query: Query<Invoice, Error>): number | false {
  const { data, status, fetchStatus } = query.state;
  const plain = nextReadMs(data, Date.now(), POLL_INTERVAL_MS);
  if (data?.status !== 'pending' || status === 'error' || !holdingReads()) return plain;
  return fetchStatus === 'idle' ? NEXT_HELD_READ_MS : false;
}
