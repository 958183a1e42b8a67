import { describe, expect, it } from 'vitest';
import { ApiError } from '../lib/api';
import { formatAmount } from '../lib/money';
import { speak } from '../test/i18n';
import { errorText } from './errors';

const apiError = (status: number, code: string, details?: Record<string, unknown>) => new ApiError(status, code, `English words for ${code}`, details);

describe("the proxy's errors in the cashier's language", () => {
  it('says a wrong PIN with the attempts left, as a plural', async () => {
    // English: the proxy's own words, as before the languages.
    expect(errorText(apiError(401, 'invalid_pin', { attemptsLeft: 1 })).text).toBe('English words for invalid_pin 1 attempt left.');
    expect(errorText(apiError(503, 'provider_unavailable')).text).toBe('English words for provider_unavailable');
    await speak('de');
    expect(errorText(apiError(401, 'invalid_pin', { attemptsLeft: 3 })).text).toBe('Falsche PIN. Noch 3 Versuche.');
    expect(errorText(apiError(429, 'too_many_attempts', { retryAfterSeconds: 300 })).text).toBe('Zu viele falsche PINs. In 5 Minuten erneut versuchen.');
  });

  it("names the card's service and its limits in the language's own numbers", async () => {
    await speak('pt-BR');
    expect(errorText(apiError(502, 'card_unreachable', { host: 'cards.example' }), 'card').text).toContain('(cards.example)');
    expect(errorText(apiError(422, 'card_limit', { maxSats: 50_000, amountSats: 120_000 }), 'card').text).toBe(
      'Este cartão permite no máximo 50.000 sats por pagamento; esta venda é de 120.000 sats. Escaneie o QR.',
    );
  });

  it('tells a conflict by what the cashier was doing', async () => {
    await speak('fr');
    expect(errorText(apiError(409, 'conflict'), 'cancel').text).toBe('Cette facture est déjà payée, elle ne peut donc pas être annulée.');
    expect(errorText(apiError(409, 'conflict', { status: 'expired' }), 'card').text).toBe('Cette facture a expiré, une carte ne peut donc pas la payer.');
  });

  it("tells a cashier refused another cashier's figures from a manager-only refusal", async () => {
    await speak('de');
    expect(errorText(apiError(403, 'forbidden'), 'shift').text).toBe('Eine Kassenkraft sieht nur die eigenen Verkäufe.');
    expect(errorText(apiError(403, 'forbidden')).text).toBe('Das darf nur die Leitung.');
  });

  it("shows an unknown code's English words, marked as English", async () => {
    await speak('es');
    expect(errorText(apiError(418, 'teapot'))).toEqual({ text: 'English words for teapot', english: true });
  });

  it("formats money in the language's way", async () => {
    await speak('de');
    expect(formatAmount(123456, 'EUR')).toBe('1.234,56\u00a0€');
    await speak('pt-BR');
    expect(formatAmount(1234, 'BRL')).toBe('R$\u00a012,34');
  });
});
