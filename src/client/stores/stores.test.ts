// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { RECENT_MAX, saleMade } from './recent';
import { currentToken, locked, unlocked, useSessionStore } from './session';
import { languageChosen, receiptPaperChosen, soundToggled, useSettingsStore } from './settings';

describe('recent sales', () => {
  it('keeps the newest ten of the last day, once each', () => {
    const now = Date.now();
    saleMade('old', now - 25 * 3600_000);
    for (let i = 0; i < 12; i += 1) saleMade(`s${i}`, now + i);
    saleMade('s11', now + 20);
    const ids: string[] = JSON.parse(localStorage.getItem('pos-recent') ?? '{}').state.sales.map((sale: { id: string }) => sale.id);
    expect(ids).toHaveLength(RECENT_MAX);
    expect(ids[0]).toBe('s11');
    expect(ids).not.toContain('old');
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('settings', () => {
  it('sound, receipt paper and the language are remembered; an old stored shape gets the defaults', async () => {
    expect(useSettingsStore.getState()).toMatchObject({ soundOn: true, receiptPaper: '80mm', language: null });
    soundToggled();
    receiptPaperChosen('a4');
    languageChosen('de');
    expect(JSON.parse(localStorage.getItem('pos-settings') ?? '{}').state).toEqual({ soundOn: false, receiptPaper: 'a4', language: 'de', spoken: null });
    localStorage.setItem('pos-settings', JSON.stringify({ state: { soundOn: false }, version: 1 }));
    await useSettingsStore.persist.rehydrate();
    expect(useSettingsStore.getState()).toMatchObject({ soundOn: false, receiptPaper: '80mm', language: null });
    // A language this version does not speak is never taken from storage.
    localStorage.setItem('pos-settings', JSON.stringify({ state: { soundOn: true, language: 'xx' }, version: 1 }));
    await useSettingsStore.persist.rehydrate();
    expect(useSettingsStore.getState().language).toBeNull();
  });
});

describe('session', () => {
  it('gives the token until it expires; Lock ends it', () => {
    unlocked({ token: 'a.b.c', role: 'cashier', expiresAt: new Date(Date.now() + 60_000).toISOString() });
    expect(currentToken()).toBe('a.b.c');
    unlocked({ token: 'a.b.c', role: 'cashier', expiresAt: new Date(Date.now() - 1).toISOString() });
    expect(currentToken()).toBeNull();
    locked();
    expect(useSessionStore.getState().session).toBeNull();
  });
});
