/**
 * The rules for a stranger's URL (a customer's card), tried with hostile input: every way of
 * spelling an address inside the shop's network, the host itself or a metadata service, every
 * scheme that is not https, and the card link forms of LUD-01 and LUD-17.
 */
import { bech32 } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { refusedAddress } from './address';
import { cardLinkUrl, NotWithdrawLink } from './link';
import { CARD_LINK_MAX_LENGTH } from '../../contract/cards';
import { checkCardUrl, LinkRefused, STRICT_POLICY } from './policy';
import { checkedAddresses, pinnedLookup, type Resolver } from './transport-node';

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof LinkRefused) return error.reason;
    throw error;
  }
  throw new Error('not refused');
};

/** A test title that does not print 2,000 characters. */
const short = (text: string) => (text.length > 80 ? `${text.slice(0, 60)}… (${text.length} characters)` : text);

const lnurl = (url: string) => bech32.encode('lnurl', bech32.toWords(new TextEncoder().encode(url)), 2048);

describe('addresses', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.100.100.200', 'carrier-grade NAT'], // Alibaba Cloud's metadata service
    ['169.254.169.254', 'link-local'], // AWS, GCP, Azure, OpenStack metadata
    ['168.63.129.16', 'metadata'], // Azure WireServer (a public address)
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['fd00:ec2::254', 'metadata'], // AWS metadata over IPv6
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', '127.0.0.1, which is a loopback'],
    ['::ffff:7f00:1', '127.0.0.1, which is a loopback'],
    ['::ffff:10.0.0.1', '10.0.0.1, which is a private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:0:10.1.2.3', 'private'], // IPv4-translated (RFC 6145)
    ['64:ff9b::7f00:1', '127.0.0.1, which is a loopback'], // NAT64 of a loopback address
    ['64:ff9b::a00:1', '10.0.0.1, which is a private'],
    ['64:ff9b::169.254.169.254', 'link-local'],
    ['64:ff9b:1::a00:1', 'local-use NAT64'],
    ['2002:7f00:1::1', '127.0.0.1, which is a loopback'], // 6to4 of a loopback address
    ['2002:c0a8:101::1', '192.168.1.1, which is a private'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['2001:db8::1', 'reserved'],
    ['::7f00:1', 'reserved IPv6'], // IPv4-compatible ::127.0.0.1 (deprecated), as URLs and DNS spell it
    ['::127.0.0.1', 'loopback'],
    ['100::1', 'discard'],
  ])('refuses %s (%s)', (address, why) => {
    expect(refusedAddress(address)).toContain(why);
  });

  it.each(['1.1.1.1', '93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])(
    'allows the public address %s',
    (address) => {
      expect(refusedAddress(address)).toBeNull();
    },
  );

  it('refuses what is not an address at all', () => {
    expect(refusedAddress('card.example.com')).toBe('is not an IP address');
    expect(refusedAddress('0x7f.1')).toBe('is not an IP address');
  });
});

describe('URLs', () => {
  it('accepts https to a public name or address', () => {
    expect(checkCardUrl('https://card.example.com/ln?p=A&c=B', STRICT_POLICY).href).toBe('https://card.example.com/ln?p=A&c=B');
    expect(checkCardUrl('https://93.184.216.34/ln', STRICT_POLICY).hostname).toBe('93.184.216.34');
    expect(checkCardUrl('https://[2606:4700:4700::1111]/ln', STRICT_POLICY).hostname).toBe('[2606:4700:4700::1111]');
    expect(checkCardUrl('https://card.example.com:8443/ln', STRICT_POLICY).port).toBe('8443');
    expect(checkCardUrl('http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion/ln', STRICT_POLICY).protocol).toBe('http:');
  });

  it.each([
    ['http://card.example.com/ln', 'plain http'],
    ['file:///etc/passwd', 'file:'],
    ['javascript:alert(1)', 'javascript:'],
    ['data:application/json,{"tag":"withdrawRequest"}', 'data:'],
    ['ftp://card.example.com/ln', 'ftp:'],
    ['gopher://card.example.com:70/_', 'gopher:'],
    ['lnurlw://card.example.com/ln', 'lnurlw:'],
    ['not a url', 'not a valid URL'],
    ['https://user:pass@card.example.com/ln', 'user name or password'],
    ['https://user@card.example.com/ln', 'user name or password'],
    ['https://card.example.com@10.0.0.1/ln', 'user name or password'],
    ['https://card.example.com%40evil@10.0.0.1/ln', 'user name or password'],
    ['https://127.0.0.1/ln', 'loopback'],
    ['https://2130706433/ln', '127.0.0.1, which is a loopback'], // decimal
    ['https://0177.0.0.1/ln', '127.0.0.1, which is a loopback'], // octal
    ['https://0x7f.1/ln', '127.0.0.1, which is a loopback'], // hex, shortened
    ['https://0x7f000001/ln', '127.0.0.1, which is a loopback'],
    ['https://127.1/ln', '127.0.0.1, which is a loopback'],
    ['https://017700000001/ln', '127.0.0.1, which is a loopback'],
    ['https://0xa9.0xfe.0xa9.0xfe/latest/meta-data', '169.254.169.254, which is a link-local'],
    ['https://2852039166/latest/meta-data', '169.254.169.254'],
    ['https://10.1.2.3/ln', 'private'],
    ['https://[::1]/ln', 'loopback'],
    ['https://[::ffff:127.0.0.1]/ln', '127.0.0.1, which is a loopback'],
    ['https://[::ffff:7f00:1]/ln', 'loopback'],
    ['https://[fc00::1]/ln', 'unique-local'],
    ['https://[fe80::1]/ln', 'link-local'],
    ['https://[64:ff9b::10.0.0.1]/ln', '10.0.0.1, which is a private'],
    ['https://[2002:a9fe:a9fe::1]/ln', '169.254.169.254'],
    ['https://[::]/ln', 'unspecified'],
    ['https://0.0.0.0/ln', 'unspecified'],
    ['https://localhost/ln', 'not a public host name'],
    ['https://localhost./ln', 'not a public host name'],
    ['https://ｌｏｃａｌｈｏｓｔ/ln', 'not a public host name'], // full-width letters, folded by URL parsing
    ['https://１２７.０.０.１/ln', '127.0.0.1, which is a loopback'],
    ['https://card.localhost/ln', '.localhost host'],
    ['https://metadata.google.internal/computeMetadata/v1/', '.internal host'],
    ['https://printer.local/ln', '.local host'],
    ['https://router.home.arpa/ln', '.home.arpa host'],
    ['https://intranet/ln', 'not a public host name'],
    ['https://card.example.com:22/ln', 'port 22'],
    ['https://card.example.com:25/ln', 'port 25'],
    ['https://card.example.com:80/ln', 'port 80 for https'],
    ['http://127.0.0.1:3340/ln', 'loopback'], // no test rig allows it here
    [`https://card.example.com/${'a'.repeat(CARD_LINK_MAX_LENGTH)}`, 'longer than'],
  ].map(([url, why]) => [short(url!), url!, why!]))('refuses %s', (_title, url, why) => {
    expect(refusal(() => checkCardUrl(url, STRICT_POLICY))).toContain(why);
  });

  it('resolves a relative redirect against the URL it came from, and checks the result', () => {
    const from = new URL('https://card.example.com/ln/1?p=A');
    expect(checkCardUrl('/ln2/1?p=A', STRICT_POLICY, from).href).toBe('https://card.example.com/ln2/1?p=A');
    expect(refusal(() => checkCardUrl('//10.0.0.1/ln', STRICT_POLICY, from))).toContain('private');
    expect(refusal(() => checkCardUrl('http://card.example.com/ln', STRICT_POLICY, from))).toContain('plain http');
  });

  it('a test rig allows plain http to loopback on the ports it names, and nowhere else', () => {
    const rig = { loopbackPorts: [3340] };
    expect(checkCardUrl('http://127.0.0.1:3340/ln', rig).href).toBe('http://127.0.0.1:3340/ln');
    expect(checkCardUrl('http://[::1]:3340/ln', rig).port).toBe('3340');
    expect(refusal(() => checkCardUrl('http://127.0.0.1:3341/ln', rig))).toContain('loopback');
    expect(refusal(() => checkCardUrl('http://127.0.0.1/ln', rig))).toContain('loopback');
    expect(refusal(() => checkCardUrl('http://10.0.0.1:3340/ln', rig))).toContain('private');
    expect(refusal(() => checkCardUrl('http://localhost:3340/ln', rig))).toContain('not a public host name');
  });
});

describe('card links', () => {
  const link = (text: string, policy = STRICT_POLICY) => cardLinkUrl(text, policy).href;
  const notWithdraw = (text: string) => expect(() => cardLinkUrl(text, STRICT_POLICY)).toThrow(NotWithdrawLink);

  it('reads a Bolt Card link (LUD-17 lnurlw://) as https', () => {
    expect(link('lnurlw://card.example.com/ln?p=A2EF40F6D46F1BB36E6EBF0114D4A464&c=F509EEA788E37E32')).toBe(
      'https://card.example.com/ln?p=A2EF40F6D46F1BB36E6EBF0114D4A464&c=F509EEA788E37E32',
    );
    expect(link('LNURLW://card.example.com/ln?p=1')).toBe('https://card.example.com/ln?p=1');
    expect(link('  lnurlw://card.example.com/ln  ')).toBe('https://card.example.com/ln');
  });

  it('reads lnurlw:// to an onion service as http (LUD-17)', () => {
    expect(link('lnurlw://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion/ln')).toMatch(/^http:\/\/[a-z2-7]+\.onion\/ln$/);
  });

  it('reads bech32 LNURLs (LUD-01), upper or lower case, also behind lightning:', () => {
    const url = 'https://service.com/api?q=3fc3645b439ce8e7f2553a69e5267081d96dcd340693afabe04be7b0ccd178df';
    // LUD-01's own example.
    const example =
      'LNURL1DP68GURN8GHJ7UM9WFMXJCM99E3K7MF0V9CXJ0M385EKVCENXC6R2C35XVUKXEFCV5MKVV34X5EKZD3EV56NYD3HXQURZEPEXEJXXEPNXSCRVWFNV9NXZCN9XQ6XYEFHVGCXXCMYXYMNSERXFQ5FNS';
    expect(link(example)).toBe(url);
    expect(link(example.toLowerCase())).toBe(url);
    expect(link(`lightning:${example}`)).toBe(url);
    expect(link(`LIGHTNING:${example}`)).toBe(url);
  });

  it('refuses what is not an LNURL-withdraw link', () => {
    notWithdraw('https://card.example.com/ln'); // a web page
    notWithdraw('lnurlp://card.example.com/pay'); // LNURL-pay
    notWithdraw('keyauth://card.example.com/auth');
    notWithdraw('lightning:lnbc10n1pj...'); // an invoice
    notWithdraw('hello');
    notWithdraw('');
    notWithdraw('LNURL1DP68GURN8GHJ7UM9WFMXJCM99E3K7MF0V9CXJ0M385EKVCENXC6R2C35XVUKXEFCV5MKVV34X5EKZD3EV56NYD3HXQURZEPEXEJXXEPNXSCRVWFNV9NXZCN9XQ6XYEFHVGCXXCMYXYMNSERXFQ5FNT'); // checksum
    notWithdraw('lnurl1DP68GURN8GHJ7UM9WFMXJCM99E3K7MF0V9CXJ0M385EKVCENXC6R2C35XVUKXEFCV5MKVV34X5EKZD3EV56NYD3HXQURZEPEXEJXXEPNXSCRVWFNV9NXZCN9XQ6XYEFHVGCXXCMYXYMNSERXFQ5FNS'); // mixed case
    notWithdraw(bech32.encode('lnbc', bech32.toWords(new TextEncoder().encode('https://card.example.com/')), 2048)); // another prefix
    notWithdraw('lnurlw://card.example.com/auth?tag=login&k1=00'); // LUD-01 tag: LNURL-auth
    notWithdraw(lnurl('https://card.example.com/auth?tag=login&k1=00'));
  });

  it('applies the URL rules to what a link decodes to', () => {
    const refused = (text: string) => refusal(() => cardLinkUrl(text, STRICT_POLICY));
    expect(refused('lnurlw://127.0.0.1/ln')).toContain('loopback');
    expect(refused('lnurlw://2130706433/ln')).toContain('127.0.0.1');
    expect(refused('lnurlw://0x7f.1/ln')).toContain('127.0.0.1');
    expect(refused('lnurlw://[::ffff:10.0.0.1]/ln')).toContain('private');
    expect(refused('lnurlw://169.254.169.254/latest/meta-data')).toContain('link-local');
    expect(refused('lnurlw://user:pw@card.example.com/ln')).toContain('user name or password');
    expect(refused('lnurlw://localhost/ln')).toContain('not a public host name');
    expect(refused(`lnurlw://card.example.com/${'p'.repeat(CARD_LINK_MAX_LENGTH)}`)).toContain('longer than');
    expect(refused(lnurl('http://card.example.com/ln'))).toContain('plain http');
    expect(refused(lnurl('http://10.0.0.1/ln'))).toContain('private');
    expect(refused(lnurl('file:///etc/passwd'))).toContain('file:');
    expect(refused(lnurl('javascript:alert(1)'))).toContain('javascript:');
    expect(refused(lnurl('https://a:b@card.example.com/'))).toContain('user name or password');
  });

  it('a test rig reads lnurlw:// to its loopback port as plain http', () => {
    expect(link('lnurlw://127.0.0.1:3340/ln/card-1?p=A&c=B', { loopbackPorts: [3340] })).toBe('http://127.0.0.1:3340/ln/card-1?p=A&c=B');
    expect(refusal(() => cardLinkUrl('lnurlw://127.0.0.1:3341/ln', { loopbackPorts: [3340] }))).toContain('loopback');
  });
});

describe('names, resolved where the connection is made (Node)', () => {
  const resolver =
    (answers: Record<string, string[]>): Resolver =>
    (hostname) =>
      Promise.resolve((answers[hostname] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

  it.each([
    ['loopback.example.com', ['127.0.0.1'], 'resolves to 127.0.0.1, which is a loopback address'],
    ['private.example.com', ['10.0.0.7'], 'resolves to 10.0.0.7, which is a private address'],
    ['metadata.example.com', ['169.254.169.254'], 'link-local'],
    ['v6.example.com', ['fd00::5'], 'unique-local'],
    ['mapped.example.com', ['::ffff:192.168.0.1'], 'private'],
    ['nat64.example.com', ['64:ff9b::a9fe:a9fe'], '169.254.169.254'],
    // One private answer among public ones is enough: the connection could go to any of them.
    ['mixed.example.com', ['93.184.216.34', '10.0.0.1'], 'resolves to 10.0.0.1'],
  ])('refuses %s → %j', async (name, addresses, why) => {
    await expect(checkedAddresses(name, resolver({ [name]: addresses }))).rejects.toThrow(why);
  });

  it('never looks up an onion name (RFC 7686)', async () => {
    let asked = false;
    const spy: Resolver = () => {
      asked = true;
      return Promise.resolve([]);
    };
    await expect(checkedAddresses('abc.onion', spy)).rejects.toThrow(LinkRefused);
    expect(asked).toBe(false);
  });

  it('hands the connection exactly the addresses it checked, resolving once', async () => {
    let lookups = 0;
    const answers = ['93.184.216.34', '2606:2800:220:1::1'];
    const lookup = pinnedLookup((hostname) => {
      lookups += 1;
      return resolver({ 'card.example.com': answers })(hostname);
    });
    const all = await new Promise<unknown>((resolve, reject) =>
      lookup('card.example.com', { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
    );
    expect(all).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1::1', family: 6 },
    ]);
    const one = await new Promise<unknown>((resolve, reject) =>
      lookup('card.example.com', { family: 6 }, (error, address, family) => (error ? reject(error) : resolve([address, family]))),
    );
    expect(one).toEqual(['2606:2800:220:1::1', 6]);
    expect(lookups).toBe(2);
  });

  it('a rebinding name is refused the moment it answers a private address', async () => {
    const answers = [['93.184.216.34'], ['127.0.0.1']];
    const rebinding: Resolver = () => Promise.resolve((answers.shift() ?? []).map((address) => ({ address, family: 4 })));
    const lookup = pinnedLookup(rebinding);
    const ask = () =>
      new Promise<unknown>((resolve, reject) => lookup('rebind.example.com', {}, (error, address) => (error ? reject(error) : resolve(address))));
    await expect(ask()).resolves.toBe('93.184.216.34');
    await expect(ask()).rejects.toThrow('resolves to 127.0.0.1');
  });
});
