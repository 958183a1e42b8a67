/**
 * The rules every URL from a card must pass before the proxy fetches it: the card's own link,
 * every redirect, and the callback its service names. The card is a stranger's: its URL may point
 * anywhere, so only what a genuine LNURL service needs is allowed (LUD-01: https, or plain http to
 * a Tor onion service). What a name resolves to is checked where the connection is made (see
 * transport-node.ts); here, everything that can be judged from the URL itself.
 */
import { CARD_LINK_MAX_LENGTH } from '../../contract/cards';
import { isIpLiteral, isLoopback, refusedAddress } from './address';

export interface CardUrlPolicy {
  /**
   * Test rigs only (POS_TEST_CARD_LOOPBACK_PORTS): loopback ports a fake card service listens
   * on, which may then be called over plain http. Empty in every real deployment.
   */
  loopbackPorts: readonly number[];
}

export const STRICT_POLICY: CardUrlPolicy = { loopbackPorts: [] };

/** A URL the rules refuse; `reason` says why, without repeating the URL. */
export class LinkRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'LinkRefused';
  }
}

/**
 * Names that never lead to a public service: RFC 6761 and RFC 8375 special-use names, ICANN's
 * private-use `.internal`, and the common names of local networks.
 */
const LOCAL_SUFFIXES = ['localhost', 'local', 'localdomain', 'internal', 'home.arpa', 'invalid', 'lan', 'intranet'];

/** Checks one URL (relative ones against `base`, as a redirect's Location); returns it parsed. */
export function checkCardUrl(raw: string, policy: CardUrlPolicy, base?: URL): URL {
  if (raw.length > CARD_LINK_MAX_LENGTH) throw new LinkRefused(`is longer than ${CARD_LINK_MAX_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new LinkRefused('is not a valid URL');
  }
  if (url.href.length > CARD_LINK_MAX_LENGTH) throw new LinkRefused(`is longer than ${CARD_LINK_MAX_LENGTH} characters`);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new LinkRefused(`uses ${url.protocol} instead of https`);
  if (url.username !== '' || url.password !== '') throw new LinkRefused('carries a user name or password');

  const host = hostOf(url);
  if (isIpLiteral(host)) {
    if (isAllowedLoopback(host, url, policy)) return url;
    const refused = refusedAddress(host);
    if (refused) throw new LinkRefused(`points at ${host}, which ${refused}`);
  } else {
    refuseLocalName(host);
  }
  if (url.protocol === 'http:' && !host.endsWith('.onion')) throw new LinkRefused('uses plain http (only Tor onion services may)');
  const port = url.port === '' ? null : Number(url.port);
  if (port !== null && port < 1024 && port !== 443 && port !== 80) {
    throw new LinkRefused(`uses port ${port}, which is not a web port`);
  }
  if (port === 80 && url.protocol === 'https:') throw new LinkRefused('uses port 80 for https');
  return url;
}

/** The URL's host as an address or a name: IPv6 brackets and a trailing root dot removed. */
export function hostOf(url: URL): string {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/** The scheme LUD-17's `lnurlw://` stands for: http for onion services (and a test rig's loopback), else https. */
export function schemeFor(host: string, port: string, policy: CardUrlPolicy): 'http:' | 'https:' {
  if (host.endsWith('.onion')) return 'http:';
  if (isIpLiteral(host) && isLoopback(host) && policy.loopbackPorts.includes(Number(port))) return 'http:';
  return 'https:';
}

function isAllowedLoopback(host: string, url: URL, policy: CardUrlPolicy): boolean {
  return isLoopback(host) && url.port !== '' && policy.loopbackPorts.includes(Number(url.port));
}

function refuseLocalName(host: string): void {
  if (host === '') throw new LinkRefused('has no host');
  if (!host.includes('.')) throw new LinkRefused(`names ${host}, which is not a public host name`);
  const local = LOCAL_SUFFIXES.find((suffix) => host === suffix || host.endsWith(`.${suffix}`));
  if (local) throw new LinkRefused(`names a .${local} host, which is never a public service`);
}
