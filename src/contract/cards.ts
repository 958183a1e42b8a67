/**
 * Tap to pay with a Bolt Card (`POST /api/invoices/:id/withdraw`), apart from api.ts so that the
 * keypad's first load carries none of it: only the card panel (loaded where the browser has Web
 * NFC) and the proxy use these.
 */
import * as z from 'zod/mini';
import { Invoice } from './api';

/** Longer than any link an NFC card holds (an NTAG 424 DNA's NDEF file has 256 bytes). */
export const CARD_LINK_MAX_LENGTH = 2048;

/**
 * `POST /api/invoices/:id/withdraw`: the link the tablet read from a customer's card, which the
 * proxy follows (LNURL-withdraw) to have the card pay this invoice.
 */
export const CardWithdrawRequest = z.object({
  lnurl: z.string().check(z.minLength(1), z.maxLength(CARD_LINK_MAX_LENGTH)),
});
export type CardWithdrawRequest = z.infer<typeof CardWithdrawRequest>;

/** The card's service accepted the invoice and will pay it; polling the invoice shows when. */
export const CardWithdrawal = z.object({
  status: z.literal('accepted'),
  /** The invoice as read right after (already `paid` when the service paid at once). */
  invoice: z.optional(Invoice),
});
export type CardWithdrawal = z.infer<typeof CardWithdrawal>;

/**
 * Whether text read from a card is an LNURL-withdraw link in one of the forms the proxy takes:
 * `lnurlw://…` (LUD-17), or bech32 `lnurl1…` (LUD-01), also as `lightning:lnurl1…`.
 */
export function isCardLink(text: string): boolean {
  return /^(?:lnurlw:\/\/|(?:lightning:)?lnurl1)/i.test(text.trim());
}
