import { describe, expect, it } from 'vitest';
import { isCardLink } from '../../contract/cards';
import { recordTexts, type NdefRecordLike } from './nfc';

const bytes = (text: string, encoding: 'utf-8' | 'utf-16' = 'utf-8') => {
  if (encoding === 'utf-8') return new DataView(new TextEncoder().encode(text).buffer);
  const units = new Uint16Array(Array.from(text, (char) => char.charCodeAt(0)));
  return new DataView(units.buffer);
};

describe('recordTexts', () => {
  it('reads URL, absolute URL and text records, in order, and skips the rest', () => {
    const records: NdefRecordLike[] = [
      { recordType: 'mime', data: bytes('{"a":1}') },
      { recordType: 'url', data: bytes('lnurlw://card.example.com/ln?p=A&c=B') },
      { recordType: 'empty', data: null },
      { recordType: 'text', data: bytes('LNURL1DP68GURN8GHJ7UM9WFMXJCM'), encoding: 'utf-8' },
      { recordType: 'absolute-url', data: bytes('https://example.com/') },
      { recordType: 'text', data: bytes('héllo', 'utf-16'), encoding: 'utf-16' },
    ];
    expect(recordTexts({ records })).toEqual([
      'lnurlw://card.example.com/ln?p=A&c=B',
      'LNURL1DP68GURN8GHJ7UM9WFMXJCM',
      'https://example.com/',
      'héllo',
    ]);
  });

  it('skips a record that is not valid text', () => {
    const broken = new DataView(new Uint8Array([0xff, 0xfe, 0xfd]).buffer);
    expect(recordTexts({ records: [{ recordType: 'url', data: broken }] })).toEqual([]);
    expect(recordTexts({ records: [] })).toEqual([]);
  });
});

describe('isCardLink', () => {
  it.each([
    ['lnurlw://card.example.com/ln?p=A&c=B', true],
    ['LNURLW://CARD.EXAMPLE.COM/LN', true],
    ['lnurl1dp68gurn8ghj7', true],
    ['LNURL1DP68GURN8GHJ7', true],
    ['lightning:LNURL1DP68GURN8GHJ7', true],
    ['  lnurlw://card.example.com/ln', true],
    ['https://card.example.com/ln', false],
    ['lnurlp://card.example.com/pay', false],
    ['lightning:lnbc10n1p', false],
    ['', false],
  ])('%s → %s', (text, expected) => {
    expect(isCardLink(text)).toBe(expected);
  });
});
