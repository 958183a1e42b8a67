import { describe, expect, it } from 'vitest';
import { type ConfigError, parseConfig, secretsOf } from './config';
import { configProblems } from './test-support/config';

const problems = configProblems;

describe('parseConfig', () => {
  it('runs the demo with no configuration at all', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      provider: 'demo',
      currency: 'USD',
      timezone: 'UTC',
      storeName: 'Demo Store',
      pins: { cashier: '1234', manager: '9999' },
      defaultPins: true,
      demo: { btcPriceMinor: 10_000_000n, invoiceExpirySec: 600, network: 'regtest' },
    });
    expect(config.sessionSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(parseConfig({}).sessionSecret).not.toBe(config.sessionSecret); // random per start
  });

  it('treats empty variables as unset', () => {
    expect(parseConfig({ PORT: '', POS_CURRENCY: ' ' }).port).toBe(3000);
  });

  it('reads every variable', () => {
    const config = parseConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      POS_CURRENCY: 'JPY',
      POS_TIMEZONE: 'Asia/Tokyo',
      POS_STORE_NAME: 'Kissa',
      POS_CASHIER_PIN: '2468',
      POS_MANAGER_PIN: '13579',
      POS_SESSION_SECRET: 's'.repeat(32),
      POS_PUBLIC_URL: 'https://pos.example.com/',
      DEMO_BTC_PRICE: '15000000',
      DEMO_INVOICE_EXPIRY: '120',
      DEMO_NETWORK: 'signet',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      currency: 'JPY',
      timezone: 'Asia/Tokyo',
      storeName: 'Kissa',
      pins: { cashier: '2468', manager: '13579' },
      defaultPins: false,
      sessionSecret: 's'.repeat(32),
      publicUrl: 'https://pos.example.com',
      demo: { btcPriceMinor: 15_000_000n, invoiceExpirySec: 120, network: 'signet' },
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT: must be a whole number'],
    [{ PORT: '70000' }, 'PORT: must be at most 65535'],
    [{ POS_PROVIDER: 'paypal' }, 'POS_PROVIDER: must be one of demo, lnbits, strike, btcpay'],
    [{ POS_CURRENCY: 'usd' }, 'POS_CURRENCY: must be SAT or an ISO 4217 currency code such as USD'],
    [{ POS_CURRENCY: 'BTC' }, 'POS_CURRENCY: must be SAT or an ISO 4217 currency code such as USD'],
    [{ POS_TIMEZONE: 'Mars/Olympus' }, 'POS_TIMEZONE: must be an IANA time zone such as Europe/Berlin'],
    [{ POS_CASHIER_PIN: '12' }, 'POS_CASHIER_PIN: must be 4 to 12 digits'],
    [{ POS_SESSION_SECRET: 'short' }, 'POS_SESSION_SECRET: must be at least 32 characters'],
    [{ POS_PUBLIC_URL: 'ftp://x' }, 'POS_PUBLIC_URL: must be an http(s) URL'],
    [{ DEMO_BTC_PRICE: '-5' }, 'DEMO_BTC_PRICE: must be a positive decimal price of 1 BTC in USD, such as 100000'],
    [{ DEMO_BTC_PRICE: '0' }, 'DEMO_BTC_PRICE: must be a positive decimal price of 1 BTC in USD, such as 100000'],
    [{ DEMO_INVOICE_EXPIRY: '0' }, 'DEMO_INVOICE_EXPIRY: must be at least 1'],
    [{ POS_CASHIER_PIN: '4444', POS_MANAGER_PIN: '4444' }, 'POS_MANAGER_PIN: must differ from POS_CASHIER_PIN'],
  ])('names the variable: %j', (env, problem) => {
    expect(problems(env)).toEqual([problem]);
  });

  it('requires PINs, a session secret and a set-up code outside the demo, one line each', () => {
    const found = problems({ POS_PROVIDER: 'lnbits' });
    expect(found).toEqual(
      expect.arrayContaining([
        "POS_CASHIERS: is required with POS_PROVIDER=lnbits (each cashier's name and PIN, as in Alice:2468,Bob:1357; or POS_CASHIER_PIN for one shared PIN)",
        'POS_MANAGER_PIN: is required with POS_PROVIDER=lnbits (6 to 12 digits)',
        'POS_SESSION_SECRET: is required with POS_PROVIDER=lnbits (at least 32 random characters)',
        "POS_SETUP_CODE: is required with POS_PROVIDER=lnbits (at least 20 random characters; it pairs the shop's tablets)",
      ]),
    );
    for (const line of found) expect(line).not.toContain('\n');
  });

  const real = { POS_PROVIDER: 'lnbits', POS_CASHIER_PIN: '2468', POS_SESSION_SECRET: 's'.repeat(32), POS_SETUP_CODE: 'c'.repeat(20) };

  it('wants a manager PIN of at least 6 digits outside the demo (4 are fine on the demo)', () => {
    expect(problems({ ...real, POS_MANAGER_PIN: '97531' })).toEqual(['POS_MANAGER_PIN: must be at least 6 digits with POS_PROVIDER=lnbits']);
    expect(problems({ ...real, POS_MANAGER_PIN: '975310' })).toEqual([]);
    expect(problems({ POS_CASHIER_PIN: '2468', POS_MANAGER_PIN: '1357' })).toEqual([]);
  });

  it('wants a set-up code of at least 20 characters, and never shows it', () => {
    expect(problems({ ...real, POS_MANAGER_PIN: '975310', POS_SETUP_CODE: 'short-code' })).toEqual(['POS_SETUP_CODE: must be at least 20 characters']);
    const config = parseConfig({ ...real, POS_MANAGER_PIN: '975310', POS_SETUP_CODE: '  a-setup-code-of-21-chars ' });
    expect(config.setupCode).toBe('a-setup-code-of-21-chars');
    expect(config.pairingRequired).toBe(true);
    expect(secretsOf(config, {})).toContain('a-setup-code-of-21-chars');
    expect(parseConfig({}).pairingRequired).toBe(false);
  });

  it.each([
    [{ LNBITS_URL: 'https://lnbits.example.com', LNBITS_INVOICE_KEY: 'f'.repeat(32) }, 'POS_PROVIDER: is not set, but LNBITS_INVOICE_KEY, LNBITS_URL is: set POS_PROVIDER to lnbits, strike or btcpay (the demo would run instead)'],
    [{ STRIKE_API_KEY: 'k'.repeat(20) }, 'POS_PROVIDER: is not set, but STRIKE_API_KEY is: set POS_PROVIDER to lnbits, strike or btcpay (the demo would run instead)'],
    [
      { POS_PROVIDER: 'demo', BTCPAY_URL: 'https://pay.example.com' },
      'POS_PROVIDER: is demo, but BTCPAY_URL is set: set POS_PROVIDER to the provider you configured, or remove its settings to run the demo',
    ],
  ])('never runs the demo silently when a provider is configured: %j', (env, line) => {
    expect(problems(env)).toEqual([line]);
    expect(problems({ ...env, POS_PROVIDER: 'demo' })[0]).toMatch(/^POS_PROVIDER: is demo, but/);
  });

  it('answers loopback host names unless told others, and any name when many instances serve it', () => {
    expect(parseConfig({}).allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(parseConfig({ POS_PUBLIC_URL: 'https://POS.example.com/' }).allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]', 'pos.example.com']);
    expect(parseConfig({ POS_ALLOWED_HOSTS: 'pos.local, 192.168.1.20' }).allowedHosts).toEqual(['pos.local', '192.168.1.20']);
    expect(parseConfig({ POS_ALLOWED_HOSTS: '*' }).allowedHosts).toBeNull();
    expect(parseConfig({ POS_PROVIDER: 'demo', POS_SESSION_SECRET: 's'.repeat(32) }, { multiInstance: true }).allowedHosts).toBeNull();
    expect(problems({ POS_ALLOWED_HOSTS: 'pos.local; evil' })).toEqual(['POS_ALLOWED_HOSTS: must be a comma-separated list of host names, or *']);
  });

  it('keeps its data in ./data unless POS_DATA_DIR says where', () => {
    expect(parseConfig({}).dataDir).toBe('./data');
    expect(parseConfig({ POS_DATA_DIR: '/var/lib/pos' }).dataDir).toBe('/var/lib/pos');
  });

  it('requires a session secret even for the demo when many instances serve the POS', () => {
    expect(() => parseConfig({ POS_PROVIDER: 'demo' })).not.toThrow();
    try {
      parseConfig({ POS_PROVIDER: 'demo' }, { multiInstance: true });
      expect.unreachable('a demo on many instances needs a shared session secret');
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'POS_SESSION_SECRET: is required when many instances serve the POS, even for the demo (at least 32 random characters)',
      ]);
    }
    expect(parseConfig({ POS_PROVIDER: 'demo', POS_SESSION_SECRET: 's'.repeat(32) }, { multiInstance: true }).sessionSecret).toBe('s'.repeat(32));
  });

  it('wants POS_PROVIDER named when many instances serve the POS (a deployment never falls back to the demo)', () => {
    try {
      parseConfig({ POS_SESSION_SECRET: 's'.repeat(32) }, { multiInstance: true });
      expect.unreachable('a deployment must name its provider');
    } catch (error) {
      expect((error as ConfigError).problems).toEqual(['POS_PROVIDER: is required when many instances serve the POS: demo, lnbits, strike or btcpay']);
    }
  });

  it('tips: on with 10, 15 and 20 % in the demo, off elsewhere unless POS_TIPS lists presets', () => {
    expect(parseConfig({}).tipPercents).toEqual([10, 15, 20]);
    expect(parseConfig({ POS_TIPS: 'off' }).tipPercents).toEqual([]);
    expect(parseConfig({ POS_TIPS: 'OFF' }).tipPercents).toEqual([]);
    expect(parseConfig({ POS_TIPS: '18, 5,10' }).tipPercents).toEqual([5, 10, 18]);
    const lnbits = { POS_PROVIDER: 'lnbits', POS_CASHIER_PIN: '1111', POS_MANAGER_PIN: '222222', POS_SESSION_SECRET: 's'.repeat(32), POS_SETUP_CODE: 'setup-code-0123456789-abcdef' };
    expect(parseConfig(lnbits).tipPercents).toEqual([]);
  });

  it.each([
    ['10,abc', 'POS_TIPS: must be off, or whole percentages from 1 to 100 separated by commas, such as 10,15,20'],
    ['0,10', 'POS_TIPS: must be off, or whole percentages from 1 to 100 separated by commas, such as 10,15,20'],
    ['12.5', 'POS_TIPS: must be off, or whole percentages from 1 to 100 separated by commas, such as 10,15,20'],
    ['10,10', 'POS_TIPS: lists a percentage twice'],
    ['5,10,15,20,25', 'POS_TIPS: offers at most 4 percentages (the customer also has a custom amount and No tip)'],
  ])('POS_TIPS=%s is refused with one line', (value, line) => {
    expect(problems({ POS_TIPS: value })).toEqual([line]);
  });

  it('the store language: one of the languages the POS speaks, or unset (each tablet its browser’s)', () => {
    expect(parseConfig({}).language).toBeUndefined();
    expect(parseConfig({ POS_LANGUAGE: 'pt-BR' }).language).toBe('pt-BR');
    expect(problems({ POS_LANGUAGE: 'it' })).toEqual(['POS_LANGUAGE: must be one of en, es, pt-BR, de, fr']);
    expect(problems({ POS_LANGUAGE: 'pt-br' })).toEqual(['POS_LANGUAGE: must be one of en, es, pt-BR, de, fr']);
  });

  it('the store address is one line of at most 200 characters', () => {
    expect(parseConfig({ POS_STORE_ADDRESS: ' 1 Main St ' }).storeAddress).toBe('1 Main St');
    expect(parseConfig({}).storeAddress).toBeUndefined();
    expect(problems({ POS_STORE_ADDRESS: 'a'.repeat(201) })).toEqual(['POS_STORE_ADDRESS: must be at most 200 characters']);
    expect(problems({ POS_STORE_ADDRESS: 'line\nbreak' })).toEqual(['POS_STORE_ADDRESS: must be one line without control characters']);
  });
});
