import { describe, expect, it } from 'vitest';
import { browserLanguage, intlLocaleOf, pickLanguage } from './languages';

describe('which language the POS speaks', () => {
  it("takes the first of the browser's languages it speaks, by its base language too", () => {
    expect(browserLanguage(['it-IT', 'de-AT', 'en'])).toBe('de');
    expect(browserLanguage(['pt'])).toBe('pt-BR');
    expect(browserLanguage(['pt-PT'])).toBe('pt-BR');
    expect(browserLanguage(['es-419'])).toBe('es');
    expect(browserLanguage(['ja', 'zh'])).toBeUndefined();
  });

  it("prefers the tablet's own choice, then the store's, then the browser's, then English", () => {
    expect(pickLanguage({ tablet: 'fr', store: 'de', browser: ['es'] })).toBe('fr');
    expect(pickLanguage({ tablet: null, store: 'de', browser: ['es'] })).toBe('de');
    expect(pickLanguage({ tablet: null, store: undefined, browser: ['es-AR'] })).toBe('es');
    expect(pickLanguage({ tablet: null, store: undefined, browser: ['ja'] })).toBe('en');
  });

  it('formats the pseudo-locale as German, so that a formatter that ignores the language shows', () => {
    expect(intlLocaleOf('en-XA')).toBe('de');
    expect(intlLocaleOf('pt-BR')).toBe('pt-BR');
  });
});
