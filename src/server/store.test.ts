import { describe, expect, it } from 'vitest';
import { MemoryStore } from './store';

describe('MemoryStore', () => {
  it('forgets a value at its expiry, and a counter keeps its first window', async () => {
    let now = 0;
    const store = new MemoryStore(100, () => now);
    await store.set('a', { x: 1 }, 1000);
    expect(await store.increment('n', 1, 1000)).toBe(1);
    now = 600;
    expect(await store.increment('n', 1, 1000)).toBe(2); // does not extend the window
    expect(await store.get('a')).toEqual({ x: 1 });
    now = 1000;
    expect(await store.get('a')).toBeUndefined();
    expect(await store.increment('n', 1, 1000)).toBe(1);
  });

  it('stays under its cap: expired entries go first, then the oldest written', async () => {
    let now = 0;
    const store = new MemoryStore(10, () => now);
    await store.set('short', 1, 10);
    for (let i = 0; i < 9; i++) await store.set(`k${i}`, i, 60_000);
    now = 20;
    await store.set('k9', 9, 60_000); // 11 entries: the expired one is enough
    expect(store.size).toBe(10);
    expect(await store.get('k0')).toBe(0);
    await store.set('k10', 10, 60_000); // over again: down to 90 % of the cap, oldest first
    expect(store.size).toBe(9);
    expect(await store.get('k0')).toBeUndefined();
    expect(await store.get('k1')).toBeUndefined();
    expect(await store.get('k10')).toBe(10);
  });
});

describe('MemoryStore.claim', () => {
  it('keeps the first live value and hands it to every later claimant', async () => {
    let now = 0;
    const store = new MemoryStore(100, () => now);
    expect(await store.claim('k', 'first', 1000)).toBe('first');
    expect(await store.claim('k', 'second', 1000)).toBe('first');
    now = 1000;
    expect(await store.claim('k', 'third', 1000)).toBe('third');
  });
});
