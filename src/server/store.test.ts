import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store';
import { MemoryStore, StoreFullError, type KeyValueStore } from './store';

const dirs: string[] = [];
const stores: SqliteStore[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pos-store-'));
  dirs.push(dir);
  return dir;
}
function sqlite(maxEntries: number, now: () => number, dir = tempDir()): SqliteStore {
  const store = new SqliteStore(dir, { maxEntries, now });
  stores.push(store);
  return store;
}
afterAll(() => {
  for (const store of stores) store.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

type Make = (maxEntries: number, now: () => number) => KeyValueStore & { readonly size: number };
const implementations: [string, Make][] = [
  ['MemoryStore', (max, now) => new MemoryStore(max, now)],
  ['SqliteStore', (max, now) => sqlite(max, now)],
];

describe.each(implementations)('%s', (_name, make) => {
  it('forgets a value at its expiry, and a counter keeps its first window', async () => {
    let now = 0;
    const store = make(100, () => now);
    await store.set('a', { x: 1 }, 1000);
    expect(await store.increment('n', 1, 1000)).toBe(1);
    now = 600;
    expect(await store.increment('n', 1, 1000)).toBe(2); // does not extend the window
    expect(await store.get('a')).toEqual({ x: 1 });
    now = 1000;
    expect(await store.get('a')).toBeUndefined();
    expect(await store.increment('n', 1, 1000)).toBe(1);
  });

  it('claim keeps the first live value and hands it to every later claimant', async () => {
    let now = 0;
    const store = make(100, () => now);
    expect(await store.claim('k', 'first', 1000)).toBe('first');
    expect(await store.claim('k', 'second', 1000)).toBe('first');
    now = 1000;
    expect(await store.claim('k', 'third', 1000)).toBe('third');
  });

  it('lists the live entries under a prefix, and nothing else', async () => {
    let now = 0;
    const store = make(100, () => now);
    await store.set('device:a', { name: 'Front' }, 10_000);
    await store.set('device:b', { name: 'Back' }, 500);
    await store.set('devices', 1, 10_000);
    await store.set('session:a', 1, 10_000);
    now = 600;
    expect(await store.list('device:')).toEqual([{ key: 'device:a', value: { name: 'Front' } }]);
    expect(await store.list('nothing:')).toEqual([]);
  });

  it('never drops a live entry to make room: a full store refuses new keys and keeps the old', async () => {
    let now = 0;
    const store = make(10, () => now);
    await store.set('short', 1, 10);
    for (let i = 0; i < 9; i++) await store.set(`k${i}`, i, 60_000);
    now = 2000;
    // Full, but one entry has expired: the sweep makes room for the new key.
    await store.set('k9', 9, 60_000);
    expect(store.size).toBe(10);
    await expect(store.set('k10', 10, 60_000)).rejects.toThrow(StoreFullError);
    await expect(store.increment('counter', 1, 60_000)).rejects.toThrow(StoreFullError);
    await expect(store.claim('claim', 'x', 60_000)).rejects.toThrow(StoreFullError);
    for (let i = 0; i < 10; i++) expect(await store.get(`k${i}`)).toBe(i);
    // Keys it already holds can still change.
    await store.set('k0', 'changed', 60_000);
    expect(await store.increment('k1', 5, 60_000)).toBe(6);
    expect(await store.get('k0')).toBe('changed');
    // Once entries expire on their own, new keys fit again.
    now = 63_000;
    await store.set('k10', 10, 60_000);
    expect(await store.get('k10')).toBe(10);
  });
});

describe('SqliteStore', () => {
  it('keeps every entry across a restart (a new process opening the same file)', async () => {
    const dir = tempDir();
    const first = new SqliteStore(dir);
    await first.set('device:abc', { name: 'Front counter' }, 3_600_000);
    await first.increment('budget:strike:1', 7, 3_600_000);
    first.close();
    const second = sqlite(1_000_000, Date.now, dir);
    expect(await second.get('device:abc')).toEqual({ name: 'Front counter' });
    expect(await second.increment('budget:strike:1', 1, 3_600_000)).toBe(8);
  });

  it('sweeps every expired entry in one pass, however many there are', async () => {
    let now = 0;
    const store = sqlite(1_000_000, () => now);
    for (let i = 0; i < 20_000; i++) await store.set(`old:${i}`, i, 1000);
    await store.set('keep', 'me', 10_000);
    now = 5000;
    expect(store.sweep()).toBe(1);
    expect(await store.get('keep')).toBe('me');
  });

  it('refuses to open where it cannot write, with the reason', () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, '');
    expect(() => new SqliteStore(join(file, 'data'))).toThrow(/ENOTDIR/);
  });
});
