/**
 * Receipts a customer keeps on their phone (docs/api.md).
 *
 * - `POST /api/receipts` (cashier) `{invoiceId}` → `{token, path, url?}` for a paid invoice.
 * - `GET /api/receipts/:token` (no session) → that one sale, for the receipt page `/r/:token`.
 *
 * A token is the invoice id, `~`, and an HMAC of it under the store's own `receipt` key (no `.`:
 * the SPA's routes are told from its files by a dot in the last segment) (independent
 * of the session secret, so rotating that does not void receipts already handed out). The MAC is
 * checked before anything else: a made-up or altered token costs no provider read and gets the
 * same 404 as a receipt that does not exist, so the route tells nothing about which ids exist.
 */
import { Hono } from 'hono';
import { bytesToHex } from '@noble/hashes/utils';
import { InvoiceId } from '../../contract/api';
import { receiptOf, ReceiptLinkRequest, type ReceiptLink } from '../../contract/receipts';
import { requireRole } from '../auth';
import { ApiError, notFound } from '../errors';
import { namedHmacKey } from '../keys';
import type { Services } from '../services';
import { readerOf } from '../session-key';
import { jsonBody } from '../validation';
import { z } from '../zod';

/** 128 bits of HMAC-SHA-256: unguessable, and short enough for a QR code a phone reads at once. */
const MAC_BYTES = 16;
const TOKEN = /^([A-Za-z0-9_-]{1,128})~([0-9a-f]{32})$/;
const encoder = new TextEncoder();

const noReceipt = () => notFound('That receipt');

export function receiptRoutes({ config, store, reads, clientId, sessions }: Services) {
  let key: Promise<CryptoKey> | undefined;
  const receiptKey = () => {
    key ??= namedHmacKey(store, 'receipt').catch((error: unknown) => {
      key = undefined; // a store hiccup is not remembered: the next request tries again
      throw error;
    });
    return key;
  };

  const macOf = async (invoiceId: string) => {
    const signature = await crypto.subtle.sign('HMAC', await receiptKey(), encoder.encode(`receipt:v1:${invoiceId}`));
    return new Uint8Array(signature, 0, MAC_BYTES);
  };

  /** The invoice id a token vouches for, or null for anything not signed with our key. */
  const verified = async (token: string): Promise<string | null> => {
    const match = TOKEN.exec(token);
    if (!match || !z.safeParse(InvoiceId, match[1]).success) return null;
    const [, invoiceId = '', macHex = ''] = match;
    const expected = await macOf(invoiceId);
    const given = Uint8Array.from(macHex.match(/../g) ?? [], (byte) => parseInt(byte, 16));
    let difference = 0;
    for (let i = 0; i < MAC_BYTES; i += 1) difference |= (expected[i] ?? 0) ^ (given[i] ?? 0);
    return difference === 0 ? invoiceId : null;
  };

  return new Hono()
    .post('/', requireRole('cashier', sessions), jsonBody(ReceiptLinkRequest), async (c) => {
      const { invoiceId } = c.req.valid('json');
      const invoice = await reads.poll(invoiceId, readerOf(c));
      if (!invoice) throw notFound();
      if (invoice.status !== 'paid') throw new ApiError(409, 'conflict', 'Only a paid sale has a receipt.', { status: invoice.status });
      const token = `${invoiceId}~${bytesToHex(await macOf(invoiceId))}`;
      const path = `/r/${token}`;
      return c.json({ token, path, ...(config.publicUrl ? { url: `${config.publicUrl}${path}` } : {}) } satisfies ReceiptLink);
    })
    .get('/:token', async (c) => {
      const invoiceId = await verified(c.req.param('token'));
      if (!invoiceId) throw noReceipt();
      // No session here: the customer's phone is limited as a session of its own address.
      const invoice = await reads.poll(invoiceId, { ...readerOf(c), session: `receipt:${clientId(c)}` });
      const receipt = invoice && receiptOf(invoice, config);
      if (!receipt) throw noReceipt();
      return c.json(receipt);
    });
}
