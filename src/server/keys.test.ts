import { describe, expect, it } from 'vitest';
import { namedHmacKey } from './keys';
import { MemoryStore } from './store';

const sign = async (key: CryptoKey, text: string) => new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text)));

describe('namedHmacKey', () => {
  it('gives every caller on one store the same key, and each purpose its own', async () => {
    const store = new MemoryStore();
    const [a, b] = await Promise.all([namedHmacKey(store, 'receipt'), namedHmacKey(store, 'receipt')]);
    const other = await namedHmacKey(store, 'lnbits-webhook');
    expect(await sign(a, 'x')).toEqual(await sign(b, 'x'));
    expect(await sign(other, 'x')).not.toEqual(await sign(a, 'x'));
  });

  it('refuses a malformed stored key instead of signing with it', async () => {
    const store = new MemoryStore();
    await store.set('key:receipt', 'not-hex', 1000);
    await expect(namedHmacKey(store, 'receipt')).rejects.toThrow(/malformed/);
  });
});
