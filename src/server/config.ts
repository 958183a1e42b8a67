/**
 * The proxy's configuration, parsed once from the environment (docs/api.md and the README, "Configuration").
 * Any problem becomes one line naming the variable, so that start-up stops with a message an
 * operator can act on.
 */
import { z } from './zod';
import { languages, Pin, ProviderId, type Language } from '../contract/api';
import { isSupportedCurrency, parseMajorUnits, SAT } from '../contract/money';
import { MAX_WAIT_SECONDS } from '../contract/wait';
import { parseCashiers, unnamedCashier, type Cashier } from './staff';

export type Env = Record<string, string | undefined>;

export const demoNetworks = {
  regtest: 'bcrt',
  testnet: 'tb',
  signet: 'tbs',
  mainnet: 'bc',
} as const;
export type DemoNetwork = keyof typeof demoNetworks;

export interface Config {
  host: string;
  port: number;
  provider: ProviderId;
  currency: string;
  timezone: string;
  storeName: string;
  /** Printed on receipts under the store name, when set. */
  storeAddress: string | undefined;
  /** Tip percentages offered to the customer after Charge; empty: no tip screen. */
  tipPercents: number[];
  /** The store's language (POS_LANGUAGE); unset: each tablet speaks its browser's language. */
  language: Language | undefined;
  /** `cashier`: the first cashier's PIN (the only one without POS_CASHIERS). */
  pins: { cashier: string; manager: string };
  /** Every cashier with their own PIN (POS_CASHIERS), or the one unnamed cashier of POS_CASHIER_PIN. */
  cashiers: Cashier[];
  /** True when the demo's well-known PINs are in use (the unlock screen may show them). */
  defaultPins: boolean;
  sessionSecret: string;
  publicUrl: string | undefined;
  /** Lifetime of invoices at LNbits, Strike and BTCPay (the demo has its own). */
  invoiceExpirySec: number;
  /** Invoices one client may create per minute. */
  createLimitPerMinute: number;
  /** Behind a reverse proxy: take the client's address from X-Forwarded-For. */
  trustProxy: boolean;
  /**
   * `POS_SETUP_CODE`: pairs any number of tablets (POST /api/devices/pair). Required outside the
   * demo, where a PIN is only checked from a paired tablet.
   */
  setupCode: string | undefined;
  /** Whether PINs are checked only from paired tablets (every provider but the demo). */
  pairingRequired: boolean;
  /** Where the Node proxy keeps its store (`POS_DATA_DIR`): a SQLite file, outside the demo. */
  dataDir: string;
  /**
   * Host names the proxy answers to (`POS_ALLOWED_HOSTS`), against DNS rebinding; null answers
   * any (Workers, where the platform routes only the deployment's own hosts to it).
   */
  allowedHosts: string[] | null;
  /** Long-polled status reads: the longest hold (0 turns holding off), and how many one process keeps. */
  wait: { maxSeconds: number; maxHeld: number };
  /** Bolt Card taps one client may make per minute (POS_CARD_TAP_LIMIT). */
  cardTapLimitPerMinute: number;
  /**
   * Test rigs only (POS_TEST_CARD_LOOPBACK_PORTS): loopback ports where a fake card service may be
   * called over plain http. Empty everywhere else.
   */
  cardLoopbackPorts: number[];
  demo: {
    /** Price of one BTC in the store currency's minor units. */
    btcPriceMinor: bigint;
    invoiceExpirySec: number;
    network: DemoNetwork;
  };
}

export const DEMO_PINS = { cashier: '1234', manager: '9999' } as const;

/** Outside the demo a manager PIN has at least this many digits (SECURITY.md works out why). */
export const MANAGER_PIN_MIN_DIGITS = 6;
export const SETUP_CODE_MIN_LENGTH = 20;

/** Variables that configure a provider: set without POS_PROVIDER, they mean the operator forgot it. */
const providerSettings = /^(LNBITS|STRIKE|BTCPAY)_/;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** A whole number from an environment variable, within bounds. */
export const integer = (min: number, max: number) =>
  z.pipe(
    z.string().check(z.regex(/^\d+$/, 'must be a whole number')),
    z.pipe(z.transform(Number), z.int().check(z.gte(min, `must be at least ${min}`), z.lte(max, `must be at most ${max}`))),
  );

const EnvSchema = z.object({
  PORT: z._default(integer(1, 65535), 3000),
  HOST: z._default(z.string(), '127.0.0.1'),
  POS_PROVIDER: z._default(z.enum(ProviderId.options, 'must be one of demo, lnbits, strike, btcpay'), 'demo'),
  POS_CURRENCY: z._default(
    z.string().check(z.refine(isSupportedCurrency, 'must be SAT or an ISO 4217 currency code such as USD')),
    'USD',
  ),
  POS_TIMEZONE: z._default(z.string().check(z.refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin')), 'UTC'),
  POS_STORE_NAME: z._default(z.string().check(z.minLength(1), z.maxLength(60)), 'Demo Store'),
  POS_STORE_ADDRESS: z.optional(
    z.string().check(z.maxLength(200, 'must be at most 200 characters'), z.regex(/^[^\p{Cc}]*$/u, 'must be one line without control characters')),
  ),
  POS_TIPS: z.optional(z.string()),
  POS_LANGUAGE: z.optional(z.enum(languages, `must be one of ${languages.join(', ')}`)),
  POS_CASHIER_PIN: z.optional(Pin),
  POS_CASHIERS: z.optional(z.string()),
  POS_MANAGER_PIN: z.optional(Pin),
  POS_SESSION_SECRET: z.optional(z.string().check(z.minLength(32, 'must be at least 32 characters'))),
  POS_PUBLIC_URL: z.optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  POS_INVOICE_EXPIRY: z._default(integer(60, 24 * 3600), 600),
  POS_CREATE_LIMIT: z._default(integer(1, 100_000), 60),
  POS_TRUST_PROXY: z._default(z.enum(['0', '1', 'false', 'true'], 'must be 1 or 0'), '0'),
  POS_SETUP_CODE: z.optional(
    z.string().check(z.trim(), z.minLength(SETUP_CODE_MIN_LENGTH, `must be at least ${SETUP_CODE_MIN_LENGTH} characters`)),
  ),
  POS_DATA_DIR: z._default(z.string(), './data'),
  POS_ALLOWED_HOSTS: z.optional(
    z.string().check(z.regex(/^\s*(\*|[A-Za-z0-9.:[\]-]+(\s*,\s*[A-Za-z0-9.:[\]-]+)*)\s*$/, 'must be a comma-separated list of host names, or *')),
  ),
  POS_WAIT_MAX_SECONDS: z._default(integer(0, MAX_WAIT_SECONDS), MAX_WAIT_SECONDS),
  POS_WAIT_MAX_HELD: z._default(integer(1, 1_000_000), 5_000),
  POS_CARD_TAP_LIMIT: z._default(integer(1, 100_000), 20),
  POS_TEST_CARD_LOOPBACK_PORTS: z.optional(
    z.string().check(z.regex(/^\d{1,5}(,\d{1,5})*$/, 'must be loopback port numbers separated by commas')),
  ),
  DEMO_BTC_PRICE: z._default(z.string(), '100000'),
  DEMO_INVOICE_EXPIRY: z._default(integer(1, 7 * 24 * 3600), 600),
  DEMO_NETWORK: z._default(z.enum(Object.keys(demoNetworks) as [DemoNetwork, ...DemoNetwork[]]), 'regtest'),
});

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The demo shows the tip screen unless told otherwise; a real store turns it on with its own presets. */
export const DEMO_TIP_PERCENTS = [10, 15, 20] as const;
export const MAX_TIP_PRESETS = 4;

/**
 * `off`, or up to four whole percentages between 1 and 100, comma-separated (`10,15,20`).
 * Returns the percentages in ascending order, or the problem as a sentence.
 */
export function parseTips(value: string | undefined, isDemo: boolean): number[] | string {
  if (value === undefined) return isDemo ? [...DEMO_TIP_PERCENTS] : [];
  if (value.trim().toLowerCase() === 'off') return [];
  const parts = value.split(',').map((part) => part.trim());
  if (parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) < 1 || Number(part) > 100)) {
    return 'must be off, or whole percentages from 1 to 100 separated by commas, such as 10,15,20';
  }
  const percents = [...new Set(parts.map(Number))].sort((a, b) => a - b);
  if (percents.length !== parts.length) return 'lists a percentage twice';
  if (percents.length > MAX_TIP_PRESETS) return `offers at most ${MAX_TIP_PRESETS} percentages (the customer also has a custom amount and No tip)`;
  return percents;
}

/** Empty variables count as unset, so `POS_CASHIER_PIN= npm start` means "use the default". */
export function withoutEmpty(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
}

function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface ConfigOptions {
  /**
   * Many instances serve the deployment (Workers): each must accept the others' session tokens,
   * so a secret made up at start cannot do, even for the demo.
   */
  multiInstance?: boolean;
}

/** The loopback names a Node proxy answers to unless POS_ALLOWED_HOSTS says otherwise. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** Parses the environment into a Config, or throws ConfigError listing every problem. */
export function parseConfig(rawEnv: Env, options: ConfigOptions = {}): Config {
  const env = withoutEmpty(rawEnv);
  const silentDemo = silentDemoProblem(env);
  if (silentDemo) throw new ConfigError([silentDemo]);
  if (options.multiInstance && env.POS_PROVIDER === undefined) {
    throw new ConfigError(['POS_PROVIDER: is required when many instances serve the POS: demo, lnbits, strike or btcpay']);
  }
  const parsed = z.safeParse(EnvSchema, env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const isDemo = e.POS_PROVIDER === 'demo';
  const requiredUnlessDemo = (name: string, value: string | undefined, hint: string) => {
    if (value === undefined && !isDemo) problems.push(`${name}: is required with POS_PROVIDER=${e.POS_PROVIDER} (${hint})`);
  };
  if (e.POS_CASHIERS === undefined) {
    requiredUnlessDemo('POS_CASHIERS', e.POS_CASHIER_PIN, 'each cashier\'s name and PIN, as in Alice:2468,Bob:1357; or POS_CASHIER_PIN for one shared PIN');
  } else if (e.POS_CASHIER_PIN !== undefined) {
    problems.push('POS_CASHIER_PIN: set POS_CASHIERS or POS_CASHIER_PIN, not both (with POS_CASHIERS every cashier has a PIN of their own; remove the shared one)');
  }
  requiredUnlessDemo('POS_MANAGER_PIN', e.POS_MANAGER_PIN, `${MANAGER_PIN_MIN_DIGITS} to 12 digits`);
  if (!isDemo && e.POS_MANAGER_PIN !== undefined && e.POS_MANAGER_PIN.length < MANAGER_PIN_MIN_DIGITS) {
    problems.push(`POS_MANAGER_PIN: must be at least ${MANAGER_PIN_MIN_DIGITS} digits with POS_PROVIDER=${e.POS_PROVIDER}`);
  }
  requiredUnlessDemo('POS_SETUP_CODE', e.POS_SETUP_CODE, `at least ${SETUP_CODE_MIN_LENGTH} random characters; it pairs the shop's tablets`);
  if (options.multiInstance && e.POS_SESSION_SECRET === undefined) {
    problems.push('POS_SESSION_SECRET: is required when many instances serve the POS, even for the demo (at least 32 random characters)');
  } else {
    requiredUnlessDemo('POS_SESSION_SECRET', e.POS_SESSION_SECRET, 'at least 32 random characters');
  }

  const managerPin = e.POS_MANAGER_PIN ?? DEMO_PINS.manager;
  let cashiers = [unnamedCashier(e.POS_CASHIER_PIN ?? DEMO_PINS.cashier)];
  if (e.POS_CASHIERS !== undefined) {
    const parsed = parseCashiers(e.POS_CASHIERS, managerPin);
    if ('problems' in parsed) problems.push(...parsed.problems.map((problem) => `POS_CASHIERS: ${problem}`));
    else cashiers = parsed.cashiers;
  } else if (cashiers[0]!.pin === managerPin) {
    problems.push('POS_MANAGER_PIN: must differ from POS_CASHIER_PIN');
  }
  const pins = { cashier: cashiers[0]!.pin, manager: managerPin };

  const currency = e.POS_CURRENCY;
  const btcPriceMinor =
    currency === SAT ? 100_000_000n : (parseMajorUnits(e.DEMO_BTC_PRICE, currency) ?? 0n);
  if (btcPriceMinor <= 0n) problems.push(`DEMO_BTC_PRICE: must be a positive decimal price of 1 BTC in ${currency}, such as 100000`);

  const cardLoopbackPorts = (e.POS_TEST_CARD_LOOPBACK_PORTS ?? '').split(',').filter(Boolean).map(Number);
  if (cardLoopbackPorts.some((port) => port < 1 || port > 65535)) {
    problems.push('POS_TEST_CARD_LOOPBACK_PORTS: ports must be between 1 and 65535');
  } else if (cardLoopbackPorts.length > 0 && !isDemo && !providerOnLoopback(e.POS_PROVIDER, env)) {
    problems.push(
      'POS_TEST_CARD_LOOPBACK_PORTS: is for test rigs only; it is refused with a real provider (set it only with POS_PROVIDER=demo or fake providers on loopback)',
    );
  }

  const tips = parseTips(e.POS_TIPS, isDemo);
  if (typeof tips === 'string') problems.push(`POS_TIPS: ${tips}`);

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    host: e.HOST,
    port: e.PORT,
    provider: e.POS_PROVIDER,
    currency,
    timezone: e.POS_TIMEZONE,
    storeName: e.POS_STORE_NAME,
    storeAddress: e.POS_STORE_ADDRESS?.trim(),
    tipPercents: typeof tips === 'string' ? [] : tips,
    language: e.POS_LANGUAGE,
    pins,
    cashiers,
    defaultPins: isDemo && e.POS_CASHIER_PIN === undefined && e.POS_CASHIERS === undefined && e.POS_MANAGER_PIN === undefined,
    sessionSecret: e.POS_SESSION_SECRET ?? randomSecret(),
    publicUrl: e.POS_PUBLIC_URL?.replace(/\/+$/, ''),
    invoiceExpirySec: e.POS_INVOICE_EXPIRY,
    createLimitPerMinute: e.POS_CREATE_LIMIT,
    trustProxy: e.POS_TRUST_PROXY === '1' || e.POS_TRUST_PROXY === 'true',
    setupCode: e.POS_SETUP_CODE,
    pairingRequired: !isDemo,
    dataDir: e.POS_DATA_DIR,
    allowedHosts: allowedHosts(e.POS_ALLOWED_HOSTS, e.POS_PUBLIC_URL, options),
    wait: { maxSeconds: e.POS_WAIT_MAX_SECONDS, maxHeld: e.POS_WAIT_MAX_HELD },
    cardTapLimitPerMinute: e.POS_CARD_TAP_LIMIT,
    cardLoopbackPorts,
    demo: {
      btcPriceMinor,
      invoiceExpirySec: e.DEMO_INVOICE_EXPIRY,
      network: e.DEMO_NETWORK,
    },
  };
}

/** The provider's base URL is a loopback address: the POS is running against fakes in a test. */
function providerOnLoopback(provider: ProviderId, env: Env): boolean {
  const urls: Partial<Record<ProviderId, string | undefined>> = {
    lnbits: env.LNBITS_URL,
    strike: env.STRIKE_API_URL,
    btcpay: env.BTCPAY_URL,
  };
  try {
    const host = new URL(urls[provider] ?? '').hostname;
    return host === '127.0.0.1' || host === '[::1]';
  } catch {
    return false;
  }
}

/**
 * Provider settings with no provider chosen, or with the demo chosen: the operator meant a real
 * provider, and running the demo (with its published PINs) instead would be silent and wrong.
 */
function silentDemoProblem(env: Env): string | undefined {
  const provider = env.POS_PROVIDER;
  if (provider !== undefined && provider !== 'demo') return undefined;
  const settings = Object.keys(env).filter((name) => providerSettings.test(name)).sort();
  if (settings.length === 0) return undefined;
  const named = settings.join(', ');
  return provider === undefined
    ? `POS_PROVIDER: is not set, but ${named} is: set POS_PROVIDER to lnbits, strike or btcpay (the demo would run instead)`
    : `POS_PROVIDER: is demo, but ${named} is set: set POS_PROVIDER to the provider you configured, or remove its settings to run the demo`;
}

/** The Host names to answer: the operator's list, else loopback and the public URL's host. */
function allowedHosts(list: string | undefined, publicUrl: string | undefined, options: ConfigOptions): string[] | null {
  if (list !== undefined) {
    const names = list.split(',').map((name) => name.trim().toLowerCase());
    return names.includes('*') ? null : names;
  }
  if (options.multiInstance) return null;
  return [...LOOPBACK_HOSTS, ...(publicUrl ? [new URL(publicUrl).hostname.toLowerCase()] : [])];
}

/**
 * Values that must never appear in a response or a log line: the session secret, the set-up code
 * and every credential in the environment (`*_KEY`, `*_SECRET`, `*_PASSWORD`). PINs are never
 * logged at all.
 */
export function secretsOf(config: Config, env: Env): string[] {
  const credentials = Object.entries(env)
    .filter(([name, value]) => /(?:_KEY|_SECRET|_PASSWORD)$/.test(name) && value !== undefined && value.trim().length >= 8)
    .map(([, value]) => value!.trim());
  return [...new Set([config.sessionSecret, ...(config.setupCode ? [config.setupCode] : []), ...credentials])];
}
