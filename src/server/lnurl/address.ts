/**
 * Which IP addresses the proxy may connect to on behalf of a customer's card: public unicast
 * only. A card's link (and every redirect and callback after it) is chosen by whoever wrote the
 * card, so an address inside the shop's network, the host itself or a cloud metadata service
 * must never be reachable through it.
 *
 * IPv4 ranges come from ipaddr.js (RFC 1918, 6598, 3927, 5735, 5737, 2544, …); IPv6 allows
 * global unicast (2000::/3) only, and forms that embed an IPv4 address (IPv4-mapped, IPv4-
 * translated, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address they carry.
 */
import ipaddr from 'ipaddr.js';

/**
 * Cloud metadata and host services on addresses that ipaddr.js counts as public, or that are
 * worth naming: Azure's WireServer; AWS's IPv6 instance metadata (already unique-local).
 */
const METADATA_ADDRESSES = new Set(['168.63.129.16', 'fd00:ec2::254']);

/** Why an address is refused, or null when the proxy may connect to it. */
export function refusedAddress(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = parseStrict(address);
  } catch {
    return 'is not an IP address';
  }
  if (METADATA_ADDRESSES.has(parsed.toNormalizedString()) || METADATA_ADDRESSES.has(parsed.toString())) {
    return 'is a cloud metadata address';
  }
  return parsed instanceof ipaddr.IPv4 ? refusedIpv4(parsed) : refusedIpv6(parsed);
}

/** Whether `host` (a URL's hostname, brackets removed) is an IP literal rather than a name. */
export function isIpLiteral(host: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(host) || ipaddr.IPv6.isValid(host);
}

/** The loopback addresses, for a test rig that allows them explicitly. */
export function isLoopback(address: string): boolean {
  try {
    const parsed = parseStrict(address);
    return parsed.range() === 'loopback';
  } catch {
    return false;
  }
}

/** Dotted-quad IPv4 only (no octal, hex or shortened forms) or IPv6: what URL parsing and DNS give. */
function parseStrict(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) return ipaddr.IPv4.parse(address);
  return ipaddr.IPv6.parse(address);
}

function refusedIpv4(address: ipaddr.IPv4): string | null {
  const range = address.range();
  return range === 'unicast' ? null : `is a ${RANGE_NAMES[range] ?? range} address`;
}

function refusedIpv6(address: ipaddr.IPv6): string | null {
  const range = address.range();
  // 64:ff9b:1::/48 is a local-use NAT64 prefix (RFC 8215): its translator is the operator's own.
  if (range === 'rfc6052' && address.parts[2] !== 0) return 'is a local-use NAT64 address';
  const embedded = embeddedIpv4(address);
  if (embedded) {
    const refused = refusedIpv4(embedded);
    return refused && `carries ${embedded.toString()}, which ${refused}`;
  }
  if (range !== 'unicast') return `is a ${RANGE_NAMES[range] ?? range} address`;
  // 2000::/3 is the only block IANA allocates for global unicast; the rest is reserved.
  const [first = 0] = address.parts;
  return (first & 0xe000) === 0x2000 ? null : 'is a reserved IPv6 address';
}

/**
 * The IPv4 address an IPv6 address stands for, where a translator or tunnel would reach it:
 * ::ffff:a.b.c.d, ::ffff:0:a.b.c.d, 64:ff9b::a.b.c.d and 2002:aabb:ccdd::/48.
 */
function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  const parts = address.parts;
  const tail = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  switch (address.range()) {
    case 'ipv4Mapped':
    case 'rfc6145':
    case 'rfc6052':
      return tail(parts[6]!, parts[7]!);
    case '6to4':
      return tail(parts[1]!, parts[2]!);
    default:
      return null;
  }
}

const RANGE_NAMES: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private',
  uniqueLocal: 'unique-local (private)',
  reserved: 'reserved',
  benchmarking: 'benchmarking',
  teredo: 'Teredo tunnel',
  deprecatedSiteLocal: 'site-local',
  discard: 'discard-only',
};
