/**
 * One GET of a card service's URL, under the rules for a stranger's URL: redirects followed by
 * hand (at most CARD_MAX_REDIRECTS, each one checked like the first URL), a deadline per call,
 * the answer's size capped while it streams in, and the body read as JSON whatever the status
 * (LUD-01: status codes and headers carry no meaning; a 5xx without JSON is an outage).
 *
 * The transport does the connecting: on Node it pins each connection to an address it checked
 * (transport-node.ts); on Workers it is the platform's fetch (transport-worker.ts).
 */
import { badAnswer, linkRefused, timedOut, unreachable } from './errors';
import { checkCardUrl, hostOf, LinkRefused, type CardUrlPolicy } from './policy';

/** Inside the API's 10 s, and short enough that a tap that goes nowhere is soon told so. */
export const CARD_CALL_TIMEOUT_MS = 5_000;
/** The whole tap (link, redirects, callback) ends within this, so the API answers within 10 s. */
export const CARD_TAP_TIMEOUT_MS = 9_000;
/** A withdrawRequest is a few hundred bytes; anything much larger is not one. */
export const CARD_ANSWER_MAX_BYTES = 16 * 1024;
export const CARD_MAX_REDIRECTS = 3;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The part of a fetch Response the proxy reads (both Node's undici and Workers' fetch give it). */
export interface CardResponse {
  status: number;
  headers: { get(name: string): string | null };
  body: { getReader(): CardBodyReader } | null;
}

interface CardBodyReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(): Promise<void>;
}

/** A GET that never follows redirects by itself and stops when `signal` aborts. */
export type CardTransport = (url: string, init: { signal: AbortSignal; headers: Record<string, string> }) => Promise<CardResponse>;

export interface CardCall {
  transport: CardTransport;
  policy: CardUrlPolicy;
  /** Unix ms by which the whole tap must be over. */
  deadline: number;
  now: () => number;
}

export interface CardAnswer {
  /** Parsed JSON. */
  body: unknown;
  /** The host that gave it (after redirects), for messages and logs. */
  host: string;
}

const HEADERS = { Accept: 'application/json', 'Accept-Encoding': 'identity', 'User-Agent': 'lightning-pos' };

/** GETs `url` (already checked by the caller) and returns its JSON; throws the API's card errors. */
export async function getCardJson(url: URL, call: CardCall): Promise<CardAnswer> {
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const host = hostOf(current);
    const left = call.deadline - call.now();
    if (left <= 0) throw timedOut(host);
    const signal = AbortSignal.timeout(Math.min(CARD_CALL_TIMEOUT_MS, left));
    let response: CardResponse;
    try {
      response = await call.transport(current.href, { signal, headers: HEADERS });
    } catch (error) {
      throw transportFailure(error, host, signal);
    }
    if (REDIRECTS.has(response.status)) {
      await response.body?.getReader().cancel().catch(() => {});
      const location = response.headers.get('Location');
      if (location === null) throw badAnswer(host);
      if (redirects >= CARD_MAX_REDIRECTS) throw linkRefused(`redirects more than ${CARD_MAX_REDIRECTS} times`);
      try {
        current = checkCardUrl(location, call.policy, current);
      } catch (error) {
        if (error instanceof LinkRefused) throw linkRefused(`redirects to a URL that ${error.reason}`);
        throw error;
      }
      continue;
    }
    const text = await readCapped(response, host, signal);
    try {
      return { body: JSON.parse(text) as unknown, host };
    } catch {
      throw response.status >= 500 ? unreachable(host, response.status) : badAnswer(host);
    }
  }
}

/** The body as text, refused once it passes CARD_ANSWER_MAX_BYTES. */
async function readCapped(response: CardResponse, host: string, signal: AbortSignal): Promise<string> {
  const declared = Number(response.headers.get('Content-Length'));
  if (declared > CARD_ANSWER_MAX_BYTES) {
    await response.body?.getReader().cancel().catch(() => {});
    throw badAnswer(host);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!value) continue;
      size += value.byteLength;
      if (size > CARD_ANSWER_MAX_BYTES) {
        await reader.cancel().catch(() => {});
        throw badAnswer(host);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (size > CARD_ANSWER_MAX_BYTES) throw error;
    throw transportFailure(error, host, signal);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badAnswer(host);
  }
}

/**
 * A transport failure as the API's error. The original error is dropped: its message may hold the
 * card's full URL (with `p` and `c`), which must not reach a response or a log.
 */
function transportFailure(error: unknown, host: string, signal: AbortSignal) {
  const refused = refusalIn(error);
  if (refused) return linkRefused(refused.reason);
  if (signal.aborted) return timedOut(host);
  return unreachable(host);
}

/** A LinkRefused the transport threw while connecting (a name resolving to a private address). */
function refusalIn(error: unknown): LinkRefused | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof LinkRefused) return current;
    current = current.cause;
  }
  return null;
}
