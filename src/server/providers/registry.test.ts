/** Start-up with each provider: credentials are checked before the proxy serves anything. */
import { describe, expect, it } from 'vitest';
import { bootstrap } from '../bootstrap';
import { ConfigError } from '../config';
import { silentLogger } from '../log';

const base = { POS_CASHIER_PIN: '1234', POS_MANAGER_PIN: '999999', POS_SESSION_SECRET: 's'.repeat(32), POS_SETUP_CODE: 'setup-code-0123456789' };

function problems(env: Record<string, string>): string[] {
  try {
    bootstrap(env, { log: () => silentLogger });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('start-up with a provider', () => {
  it.each([
    [{ POS_PROVIDER: 'lnbits', LNBITS_INVOICE_KEY: 'a'.repeat(32) }, ['LNBITS_URL: is required']],
    [{ POS_PROVIDER: 'lnbits', LNBITS_URL: 'https://lnbits.example.com' }, ['LNBITS_INVOICE_KEY: is required']],
    [
      { POS_PROVIDER: 'lnbits', LNBITS_URL: 'lnbits.example.com', LNBITS_INVOICE_KEY: 'not-a-key' },
      ['LNBITS_URL: must be the http(s) base URL of your LNbits', 'LNBITS_INVOICE_KEY: must be the wallet’s 32-character invoice/read key'],
    ],
    [{ POS_PROVIDER: 'strike' }, ['STRIKE_API_KEY: is required']],
    [{ POS_PROVIDER: 'strike', STRIKE_API_KEY: 'k'.repeat(20), STRIKE_WEBHOOK_SECRET: 'short' }, ['STRIKE_WEBHOOK_SECRET: must be 10 to 50 characters']],
    [{ POS_PROVIDER: 'strike', STRIKE_API_KEY: 'k'.repeat(20), POS_CURRENCY: 'JPY' }, ['POS_CURRENCY: Strike invoices only in USD, EUR, GBP, AUD or SAT']],
    [{ POS_PROVIDER: 'btcpay', BTCPAY_URL: 'https://pay.example.com', BTCPAY_API_KEY: 'k'.repeat(40) }, ['BTCPAY_STORE_ID: is required']],
  ])('stops with one line per problem, naming the variable: %j', (env, expected) => {
    expect(problems({ ...base, ...env })).toEqual(expected);
  });

  it('starts with complete credentials, whichever the provider', () => {
    expect(problems({ ...base, POS_PROVIDER: 'lnbits', LNBITS_URL: 'https://lnbits.example.com', LNBITS_INVOICE_KEY: 'a'.repeat(32) })).toEqual([]);
    expect(problems({ ...base, POS_PROVIDER: 'strike', STRIKE_API_KEY: 'k'.repeat(20) })).toEqual([]);
    expect(
      problems({ ...base, POS_PROVIDER: 'btcpay', BTCPAY_URL: 'https://pay.example.com', BTCPAY_API_KEY: 'k'.repeat(40), BTCPAY_STORE_ID: 'S'.repeat(44) }),
    ).toEqual([]);
  });

  it('never echoes a credential in a problem', () => {
    const secret = 'super-secret-key-value';
    const lines = problems({ ...base, POS_PROVIDER: 'lnbits', LNBITS_URL: 'https://x.example.com', LNBITS_INVOICE_KEY: secret });
    expect(lines.join('\n')).not.toContain(secret);
  });
});
