/**
 * The proxy's errors as the cashier reads them, in the POS's language. The proxy's `message` is
 * English: in English it is what the cashier reads, and in another language the fallback. There
 * the tablet says each error it knows by its
 * `code` (and `details`: attempts left, minutes to wait, a card's limits), and shows the English
 * message, marked as English, for a code it does not know yet.
 *
 * Where one code covers several cases (409 `conflict`, 429 `rate_limited`), what the cashier was
 * doing (`context`) says which.
 */
import { i18n } from '@lingui/core';
import { plural, select, t } from '@lingui/core/macro';
import { ApiError } from '../lib/api';
import { formatSats } from '../lib/money';

const SOURCE_LOCALE = 'en';

/** The English of an error: the proxy's message, and a wrong PIN's attempts left. */
function englishText(error: Error): string {
  if (!(error instanceof ApiError) || error.code !== 'invalid_pin') return error.message;
  const left = number(error.details?.attemptsLeft);
  return left === undefined ? error.message : `${error.message} ${left} ${left === 1 ? 'attempt' : 'attempts'} left.`;
}

/** What the cashier was doing when the error came. */
export type ErrorContext = 'create' | 'cancel' | 'simulate' | 'card' | 'receipt' | 'shift';

export interface ErrorText {
  text: string;
  /** The proxy's own English words (a code this version does not know): marked `lang="en"`. */
  english: boolean;
  /** More, in the proxy's English, where it helps someone act (what the provider refused). */
  detail?: string;
}

const said = (text: string): ErrorText => ({ text, english: false });

const number = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The cashier's words for `error`. */
export function errorText(error: Error, context?: ErrorContext): ErrorText {
  // In English the proxy's own words are the message, as they always were: they name the provider
  // and the card service's problem as precisely as the proxy knows them.
  if (i18n.locale === SOURCE_LOCALE) return said(englishText(error));
  if (!(error instanceof ApiError)) return said(t`Something went wrong. Try again.`);
  const details = error.details ?? {};
  switch (error.code) {
    // Made by the tablet itself (lib/api.ts).
    case 'network_error':
      return said(t`Cannot reach the POS server. Check the connection.`);
    case 'timeout':
      return said(t`The POS server did not answer in time. Check the connection.`);
    case 'http_error': {
      const status = error.status;
      return said(t`The POS server answered with an error (${status}). Try again.`);
    }
    case 'bad_response':
      return said(t`The POS server sent an answer this screen does not understand.`);

    case 'unauthorized':
      return said(t`Your session has ended. Unlock the POS with your PIN.`);
    case 'invalid_pin': {
      const left = number(details.attemptsLeft);
      if (left === undefined) return said(t`Wrong PIN. Please try again.`);
      if (left === 0) return said(t`Wrong PIN. No attempts left: the POS is locked for a few minutes.`);
      return said(t`Wrong PIN. ${plural(left, { one: '# attempt left.', other: '# attempts left.' })}`);
    }
    case 'too_many_attempts': {
      const minutes = Math.max(1, Math.ceil((number(details.retryAfterSeconds) ?? 300) / 60));
      return said(plural(minutes, { one: 'Too many wrong PINs. Try again in # minute.', other: 'Too many wrong PINs. Try again in # minutes.' }));
    }
    case 'device_not_paired':
      return said(t`This tablet is not paired with the shop yet.`);
    case 'invalid_code':
      return said(t`This pairing code is not valid.`);
    case 'forbidden':
      // A cashier's shift is theirs alone; everything else a cashier is refused is the manager's.
      return said(context === 'shift' ? t`A cashier may see only their own sales.` : t`Only a manager may do this.`);
    case 'not_found':
      return said(t`The payment provider does not know this invoice.`);
    case 'conflict':
      return said(conflict(context, details));
    case 'rate_limited':
      if (context === 'card') return said(t`Too many card taps. Wait a moment, or scan the QR.`);
      if (context === 'create') return said(t`Too many invoices in a minute from this tablet. Wait a moment and try again.`);
      return said(t`Too many requests from this tablet. Wait a moment and try again.`);
    case 'invalid_request':
      if (context === 'create' && 'amount' in details) return said(t`This sale is more than one invoice may ask for. Split it into smaller sales.`);
      return said(t`The POS server did not accept this request.`);
    case 'payload_too_large':
    case 'unsupported_media_type':
      return said(t`The POS server did not accept this request.`);
    case 'storage_full':
      return said(t`The POS cannot take this on right now. Try again in a minute.`);
    case 'misdirected_request':
      return said(t`The POS server does not answer to this address. Ask whoever set it up to allow it.`);
    case 'internal_error':
      return said(t`Something went wrong on the POS server. Please try again.`);
    case 'provider_error':
      return { text: t`The payment provider refused this request.`, english: false, detail: error.message };
    case 'provider_unavailable':
      return said(t`The payment provider cannot be reached right now. The sale is kept; try again in a moment.`);
    case 'provider_timeout':
      return said(t`The payment provider did not answer in time. The sale is kept; try again in a moment.`);

    // A customer's Bolt Card.
    case 'card_not_withdraw':
      return said(t`This card cannot pay here: it holds no Lightning payment link. Scan the QR instead.`);
    case 'card_link_refused':
      return said(t`This card’s link is refused for safety. Scan the QR instead.`);
    case 'card_limit':
      return said(cardLimit(details));
    case 'card_needs_pin': {
      const limit = formatSats(number(details.pinLimitSats) ?? 0);
      return said(t`This card asks for its PIN from ${limit}, which this POS cannot take. Scan the QR instead.`);
    }
    case 'card_declined': {
      // The card service's own words, as it gave them: a stranger's text, shown as it is.
      const reason = text(details.reason);
      return said(reason ? t`The card was declined: ${reason} Scan the QR, or try another card.` : t`The card was declined. Scan the QR, or try another card.`);
    }
    case 'card_unreachable': {
      const host = text(details.host) ?? '?';
      return said(t`The card’s service (${host}) cannot be reached. Tap the card again, or scan the QR.`);
    }
    case 'card_bad_answer': {
      const host = text(details.host) ?? '?';
      return said(t`The card’s service (${host}) sent an answer the POS does not understand. Tap the card again, or scan the QR.`);
    }
    case 'card_timeout': {
      const host = text(details.host) ?? '?';
      return said(t`The card’s service (${host}) did not answer in time. Tap the card again, or scan the QR.`);
    }
    default:
      return { text: error.message, english: true };
  }
}

/** 409: what could not be done depends on what the cashier was doing. */
function conflict(context: ErrorContext | undefined, details: Record<string, unknown>): string {
  switch (context) {
    case 'cancel':
      return t`This invoice is already paid, so it cannot be cancelled.`;
    case 'simulate':
      return t`This invoice can no longer be paid.`;
    case 'create':
      return t`This sale is being charged right now. Try again in a moment.`;
    case 'receipt':
      return t`Only a paid sale has a receipt.`;
    case 'card': {
      if (details.cardBusy === true) return t`A card is already paying this invoice. Wait for its answer.`;
      const status = text(details.status) ?? 'other';
      return select(status, {
        paid: 'This invoice is paid already: no card is needed.',
        expired: 'This invoice has expired, so a card cannot pay it.',
        cancelled: 'This invoice was cancelled, so a card cannot pay it.',
        other: 'This invoice cannot take a card payment now.',
      });
    }
    default:
      return t`This invoice changed in the meantime. Look at it again before going on.`;
  }
}

/** A card's own limits per payment, against this sale. */
function cardLimit(details: Record<string, unknown>): string {
  const amount = formatSats(number(details.amountSats) ?? 0);
  const maxSats = number(details.maxSats);
  if (maxSats !== undefined) {
    const max = formatSats(maxSats);
    return t`This card allows at most ${max} per payment; this sale is ${amount}. Scan the QR instead.`;
  }
  const min = formatSats(number(details.minSats) ?? 0);
  return t`This card pays at least ${min}; this sale is only ${amount}. Scan the QR instead.`;
}
