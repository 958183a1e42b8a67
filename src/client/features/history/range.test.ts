import { describe, expect, it } from 'vitest';
import { apiRange, autoGroup, presetDays, readView, writeView } from './range';

const today = '2026-11-22';

describe('dashboard range', () => {
  it.each([
    ['today', '2026-11-22', '2026-11-22'],
    ['yesterday', '2026-11-21', '2026-11-21'],
    ['7d', '2026-11-16', '2026-11-22'],
    ['month', '2026-11-01', '2026-11-22'],
  ] as const)('%s covers %s to %s', (preset, first, last) => {
    expect(presetDays(preset, today)).toEqual({ first, last });
  });

  it('yesterday on the first of a month is the last of the previous one', () => {
    expect(presetDays('yesterday', '2026-03-01')).toEqual({ first: '2026-02-28', last: '2026-02-28' });
    expect(presetDays('month', '2026-03-01')).toEqual({ first: '2026-03-01', last: '2026-03-01' });
  });

  it('groups by hour, day or month by the length of the range', () => {
    expect(autoGroup('2026-11-22', '2026-11-22')).toBe('hour');
    expect(autoGroup('2026-11-21', '2026-11-22')).toBe('hour');
    expect(autoGroup('2026-11-16', '2026-11-22')).toBe('day');
    expect(autoGroup('2026-08-23', '2026-11-22')).toBe('day');
    expect(autoGroup('2026-01-01', '2026-11-22')).toBe('month');
  });

  it('reads and writes the URL, round trip', () => {
    const view = readView('?range=custom&from=2026-11-01&to=2026-11-07&status=paid&page=3&group=hour', today);
    expect(view).toEqual({ preset: 'custom', first: '2026-11-01', last: '2026-11-07', group: 'hour', status: 'paid', page: 3 });
    expect(readView(writeView(view), today)).toEqual(view);
    expect(writeView(readView('', today))).toBe('');
  });

  it('falls back to today for anything it cannot read', () => {
    for (const search of ['?range=forever', '?range=custom&from=x&to=y', '?range=custom&from=2026-11-07&to=2026-11-01', '?page=-4&status=lost']) {
      const view = readView(search, today);
      expect(view.first <= view.last).toBe(true);
      expect(view.page).toBeGreaterThanOrEqual(1);
      expect(view.status).toBeUndefined();
    }
  });

  it('asks the API for [first, last + 1 day)', () => {
    expect(apiRange({ first: '2026-11-16', last: '2026-11-22' })).toEqual({ from: '2026-11-16', to: '2026-11-23' });
  });
});
