/**
 * LNURL-withdraw (LUD-03) on the customer's behalf: the card's service is asked for a
 * `withdrawRequest`, the sale's amount is checked against its limits, and the service is handed
 * this invoice's BOLT11 at its callback. `{"status":"OK"}` means it will pay (asynchronously, as
 * LUD-03 step 6 says); the invoice's status, read from the provider as always, says when it has.
 */
import type { Invoice } from '../../contract/api';
import { z } from '../zod';
import { badAnswer, declined, linkRefused, needsPin, notWithdrawCard, outsideLimits } from './errors';
import { CARD_TAP_TIMEOUT_MS, getCardJson, type CardCall, type CardTransport } from './fetch';
import { cardLinkUrl, NotWithdrawLink } from './link';
import { checkCardUrl, hostOf, LinkRefused, type CardUrlPolicy } from './policy';

const MSAT_PER_SAT = 1000;

/** `{"status": "ERROR", "reason": …}`, LUD-03's refusal, at either step. */
const ServiceError = z.object({
  status: z.string().check(z.regex(/^error$/i)),
  reason: z.optional(z.unknown()),
});

const Tagged = z.object({ tag: z.string() });

const Msat = z.number().check(z.gte(0));

/** LUD-03 step 3, and LUD-21's optional `pinLimit` (boltcard/boltcard lnurlw/lnurlw_request.go). */
const WithdrawRequest = z.object({
  tag: z.literal('withdrawRequest'),
  callback: z.string(),
  k1: z.string().check(z.minLength(1), z.maxLength(1024)),
  minWithdrawable: Msat,
  maxWithdrawable: Msat,
  defaultDescription: z.optional(z.string()),
  pinLimit: z.optional(Msat),
});

const CallbackOk = z.object({ status: z.string().check(z.regex(/^ok$/i)) });

export interface CardTapDeps {
  transport: CardTransport;
  policy: CardUrlPolicy;
  now: () => number;
}

export interface CardTapResult {
  /** The card service's host, the only thing about the card that is logged. */
  host: string;
}

/** The host a link names, for the log line of a tap that failed before any request. */
export function hostOfLink(link: string, policy: CardUrlPolicy): string | undefined {
  try {
    return hostOf(cardLinkUrl(link, policy));
  } catch {
    return undefined;
  }
}

/**
 * Asks the card's service to pay `invoice` (pending, its latest read). Resolves once the service
 * said OK; throws the API's card errors (lnurl/errors.ts) for every other outcome.
 */
export async function withdrawWithCard(link: string, invoice: Pick<Invoice, 'amountSats' | 'paymentRequest'>, deps: CardTapDeps): Promise<CardTapResult> {
  let url: URL;
  try {
    url = cardLinkUrl(link, deps.policy);
  } catch (error) {
    if (error instanceof NotWithdrawLink) throw notWithdrawCard();
    if (error instanceof LinkRefused) throw linkRefused(error.reason);
    throw error;
  }
  const call: CardCall = { ...deps, deadline: deps.now() + CARD_TAP_TIMEOUT_MS };

  const offer = await getCardJson(url, call);
  const request = readWithdrawRequest(offer.body, offer.host);
  const amountMsat = invoice.amountSats * MSAT_PER_SAT;
  if (amountMsat > request.maxWithdrawable) throw outsideLimits('max', request.maxWithdrawable, invoice.amountSats);
  if (amountMsat < request.minWithdrawable) throw outsideLimits('min', request.minWithdrawable, invoice.amountSats);
  if (request.pinLimit !== undefined && amountMsat >= request.pinLimit) throw needsPin(request.pinLimit);

  let callback: URL;
  try {
    callback = checkCardUrl(request.callback, deps.policy);
  } catch (error) {
    if (error instanceof LinkRefused) throw linkRefused(`names a callback that ${error.reason}`);
    throw error;
  }
  const answer = await getCardJson(withInvoice(callback, request.k1, invoice.paymentRequest), call);
  if (z.safeParse(CallbackOk, answer.body).success) return { host: hostOf(url) };
  const refusal = z.safeParse(ServiceError, answer.body);
  if (refusal.success) throw declined(refusal.data.reason);
  throw badAnswer(answer.host);
}

/** LUD-03 step 3: a withdrawRequest, or the service's refusal, or the wrong kind of LNURL. */
function readWithdrawRequest(body: unknown, host: string): z.infer<typeof WithdrawRequest> {
  const refusal = z.safeParse(ServiceError, body);
  if (refusal.success) throw declined(refusal.data.reason);
  const tagged = z.safeParse(Tagged, body);
  if (tagged.success && tagged.data.tag !== 'withdrawRequest') throw notWithdrawCard();
  const request = z.safeParse(WithdrawRequest, body);
  if (!request.success || request.data.minWithdrawable > request.data.maxWithdrawable) throw badAnswer(host);
  return request.data;
}

/**
 * LUD-03 step 5: `<callback><?|&>k1=<k1>&pr=<invoice>`, appended to the callback as the service
 * wrote it (its own query, perhaps signed, is kept byte for byte). A fragment is never sent.
 */
export function withInvoice(callback: URL, k1: string, paymentRequest: string): URL {
  const base = callback.href.replace(/#.*$/, '');
  const joiner = callback.search === '' ? (base.endsWith('?') ? '' : '?') : base.endsWith('&') ? '' : '&';
  return new URL(`${base}${joiner}k1=${encodeURIComponent(k1)}&pr=${encodeURIComponent(paymentRequest)}`);
}
