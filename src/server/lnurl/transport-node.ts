/**
 * The card transport on Node: undici with an Agent whose every connection is made to an address
 * this module resolved and checked itself. The check and the connection use the same answer, so a
 * name that resolves to a public address when checked and to 10.0.0.1 a moment later (DNS
 * rebinding) cannot slip through: there is no second lookup.
 *
 * IP literals never reach `lookup` (Node connects to them directly); policy.ts checks them first.
 * Chosen by package.json `imports` (`#card-transport`) everywhere but on Workers.
 */
import { promises as dns, type LookupAddress, type LookupOptions } from 'node:dns';
import { Agent, fetch as undiciFetch } from 'undici';
import { refusedAddress } from './address';
import { CARD_CALL_TIMEOUT_MS, type CardTransport } from './fetch';
import { LinkRefused } from './policy';

/** Every address a name resolves to. Tests pass their own. */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** Resolves `hostname` and refuses it if any of its addresses is not public. */
export async function checkedAddresses(hostname: string, resolve: Resolver): Promise<LookupAddress[]> {
  // RFC 7686: onion names are not looked up in the DNS (that would leak them); the POS has no Tor.
  if (hostname.endsWith('.onion') || hostname.endsWith('.onion.')) {
    throw new LinkRefused('is a Tor onion service, which this POS cannot reach');
  }
  const addresses = await resolve(hostname);
  if (addresses.length === 0) throw Object.assign(new Error('no address'), { code: 'ENOTFOUND' });
  for (const { address } of addresses) {
    const refused = refusedAddress(address);
    if (refused) throw new LinkRefused(`resolves to ${address}, which ${refused}`);
  }
  return addresses;
}

/** A `lookup` for net/tls.connect that only ever hands out checked addresses. */
export function pinnedLookup(resolve: Resolver) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    checkedAddresses(hostname, resolve).then(
      (all) => {
        const wanted = options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
        const first = wanted[0];
        if (!first) return callback(Object.assign(new Error('no address of the asked family'), { code: 'ENOTFOUND' }), []);
        if (options.all) return callback(null, wanted);
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}

export function nodeCardTransport(resolve: Resolver = systemResolver): CardTransport {
  const agent = new Agent({
    connect: { lookup: pinnedLookup(resolve), timeout: CARD_CALL_TIMEOUT_MS },
    headersTimeout: CARD_CALL_TIMEOUT_MS,
    bodyTimeout: CARD_CALL_TIMEOUT_MS,
  });
  return (url, init) => undiciFetch(url, { ...init, redirect: 'manual', dispatcher: agent });
}

let shared: CardTransport | undefined;

/** One agent per process: connections to a card service are kept alive between taps. */
export function defaultCardTransport(): CardTransport {
  shared ??= nodeCardTransport();
  return shared;
}
