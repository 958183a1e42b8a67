/**
 * From what a card's NDEF record says to the URL the proxy may fetch:
 *
 * - `lnurlw://host/path?…` (LUD-17): https, or http for a Tor onion service — what Bolt Cards
 *   hold (`lnurlw://card.example.com/ln?p=…&c=…`, boltcard/boltcard docs/SPEC.md);
 * - `lnurl1…` or `LNURL1…` (LUD-01), also behind `lightning:`: bech32 of the https/onion URL.
 *
 * Anything else (a pay link, an auth link, a web page) is not a card that can pay.
 */
import { bech32 } from '@scure/base';
import { CARD_LINK_MAX_LENGTH } from '../../contract/cards';
import { checkCardUrl, hostOf, LinkRefused, schemeFor, type CardUrlPolicy } from './policy';

/** The link is not an LNURL-withdraw link at all (as opposed to one the rules refuse). */
export class NotWithdrawLink extends Error {
  constructor() {
    super('not an LNURL-withdraw link');
    this.name = 'NotWithdrawLink';
  }
}

const LNURLW = /^lnurlw:\/\//i;
const BECH32_LNURL = /^(?:lightning:)?(lnurl1[02-9ac-hj-np-z]+)$/i;

/** The URL to GET for a card's link; throws NotWithdrawLink or LinkRefused. */
export function cardLinkUrl(text: string, policy: CardUrlPolicy): URL {
  const link = text.trim();
  if (link.length > CARD_LINK_MAX_LENGTH) throw new LinkRefused(`is longer than ${CARD_LINK_MAX_LENGTH} characters`);
  const url = LNURLW.test(link) ? fromLud17(link, policy) : fromBech32(link, policy);
  // LUD-01: a `tag` in the query names the kind of link; only a withdraw link may be asked here.
  const tag = url.searchParams.get('tag');
  if (tag !== null && tag !== 'withdrawRequest') throw new NotWithdrawLink();
  return url;
}

function fromLud17(link: string, policy: CardUrlPolicy): URL {
  let url: URL;
  try {
    // Parsed as https first, so that the host is read by the rules of web URLs (IPv4 in any
    // notation becomes dotted decimal), then given the scheme LUD-17 maps it to.
    url = new URL(`https://${link.slice('lnurlw://'.length)}`);
  } catch {
    throw new LinkRefused('is not a valid URL');
  }
  url.protocol = schemeFor(hostOf(url), url.port, policy);
  return checkCardUrl(url.href, policy);
}

function fromBech32(link: string, policy: CardUrlPolicy): URL {
  const match = BECH32_LNURL.exec(link);
  if (!match?.[1]) throw new NotWithdrawLink();
  // bech32 refuses mixed case and a bad checksum; LNURLs are longer than BIP-173's 90 characters.
  const words = bech32.decodeUnsafe(match[1], CARD_LINK_MAX_LENGTH);
  if (!words || words.prefix !== 'lnurl') throw new NotWithdrawLink();
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(bech32.fromWords(words.words));
  } catch {
    throw new NotWithdrawLink();
  }
  // LUD-01: an https URL, or http to an onion service; checkCardUrl enforces both.
  return checkCardUrl(decoded, policy);
}
