/**
 * What a card tap can end in, as the API's errors. Every message is the POS's own sentence, safe
 * to show the cashier and the customer: it may name the card service's host, never its link, `k1`
 * or the card's `p`/`c` values. `details` carries what the tablet needs to say it in its own
 * language (the host, the limits, the card service's reason). The card service's own refusal reason is shown as it gave it, but
 * cleaned and shortened first (it is a stranger's text).
 */
import { ApiError } from '../errors';

/** What the customer can always do instead. */
const INSTEAD = 'Tap the card again, or scan the QR.';

export const REASON_MAX_CHARS = 140;

export function notWithdrawCard(): ApiError {
  return new ApiError(422, 'card_not_withdraw', 'This card cannot pay here: it holds no Lightning withdraw link (LNURL-withdraw). Scan the QR instead.');
}

/** The link, a redirect or the callback broke the rules of policy.ts. */
export function linkRefused(reason: string): ApiError {
  return new ApiError(422, 'card_link_refused', `This card's link is refused: it ${reason}. Scan the QR instead.`, { reason });
}

export function outsideLimits(edge: 'max' | 'min', limitMsat: number, amountSats: number): ApiError {
  const limitSats = edge === 'max' ? Math.floor(limitMsat / 1000) : Math.ceil(limitMsat / 1000);
  const message =
    edge === 'max'
      ? `This card allows at most ${sats(limitSats)} per payment; this sale is ${sats(amountSats)}. Scan the QR instead.`
      : `This card pays at least ${sats(limitSats)}; this sale is only ${sats(amountSats)}. Scan the QR instead.`;
  return new ApiError(422, 'card_limit', message, { [edge === 'max' ? 'maxSats' : 'minSats']: limitSats, amountSats });
}

export function needsPin(pinLimitMsat: number): ApiError {
  const limitSats = Math.ceil(pinLimitMsat / 1000);
  return new ApiError(
    422,
    'card_needs_pin',
    `This card asks for its PIN from ${sats(limitSats)}, which this POS cannot take. Scan the QR instead.`,
    { pinLimitSats: limitSats },
  );
}

/**
 * The card's service said no (`{"status":"ERROR","reason":…}`): its reason, cleaned (`details.reason`
 * is empty when it gave none).
 */
export function declined(rawReason: unknown): ApiError {
  const reason = cleanReason(rawReason);
  const shown = reason || 'no reason given.';
  const stop = /[.!?…]$/.test(shown) ? '' : '.';
  return new ApiError(422, 'card_declined', `The card was declined: ${shown}${stop} Scan the QR, or try another card.`, { reason });
}

export function unreachable(host: string, httpStatus?: number): ApiError {
  const what = httpStatus ? `is having problems (HTTP ${httpStatus})` : 'cannot be reached';
  return new ApiError(502, 'card_unreachable', `The card's service (${host}) ${what}. ${INSTEAD}`, {
    host,
    ...(httpStatus ? { httpStatus } : {}),
  });
}

export function badAnswer(host: string): ApiError {
  return new ApiError(502, 'card_bad_answer', `The card's service (${host}) sent an answer the POS does not understand. ${INSTEAD}`, { host });
}

export function timedOut(host: string): ApiError {
  return new ApiError(504, 'card_timeout', `The card's service (${host}) did not answer in time. ${INSTEAD}`, { host });
}

/**
 * A stranger's text made fit for a cashier's screen: control and format characters (bidi
 * overrides, zero-width) removed, whitespace collapsed, at most REASON_MAX_CHARS characters;
 * empty when there is no text.
 */
export function cleanReason(raw: unknown): string {
  const text = typeof raw === 'string' ? raw : '';
  const clean = text
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean === '') return '';
  const chars = Array.from(clean);
  return chars.length > REASON_MAX_CHARS ? `${chars.slice(0, REASON_MAX_CHARS - 1).join('')}…` : clean;
}

const sats = (amount: number) => `${amount.toLocaleString('en')} sat${amount === 1 ? '' : 's'}`;
