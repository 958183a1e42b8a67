/**
 * The provider for `POS_PROVIDER`, built from the parsed configuration and its credentials. Each
 * adapter gets its own settings (what it needs of the shop, and its credentials), not the whole
 * configuration.
 */
import type { Config, Env } from '../config';
import type { KeyValueStore } from '../store';
import { btcpayFromEnv } from './btcpay';
import { DemoWallet } from './demo';
import { lnbitsFromEnv } from './lnbits';
import type { AdapterDeps, Provider, SaleSettings } from './provider';
import { strikeFromEnv } from './strike';

export interface ProviderSetup {
  provider: Provider;
  /** Set when the provider is the built-in demo wallet. */
  demo?: DemoWallet;
}

export interface ProviderDeps {
  store: KeyValueStore;
  now?: () => number;
  /** For tests: the fetch the adapters use. */
  fetch?: typeof fetch;
}

/** Throws ConfigError when a credential is missing or malformed. */
export function createProvider(config: Config, env: Env, deps: ProviderDeps): ProviderSetup {
  const now = deps.now ?? Date.now;
  const adapterDeps: AdapterDeps = { store: deps.store, now, ...(deps.fetch ? { fetch: deps.fetch } : {}) };
  const sale: SaleSettings = {
    currency: config.currency,
    storeName: config.storeName,
    invoiceExpirySec: config.invoiceExpirySec,
    publicUrl: config.publicUrl,
  };
  switch (config.provider) {
    case 'demo': {
      const demo = new DemoWallet(
        {
          currency: config.currency,
          btcPriceMinor: config.demo.btcPriceMinor,
          invoiceExpirySec: config.demo.invoiceExpirySec,
          network: config.demo.network,
          storeName: config.storeName,
        },
        now,
      );
      demo.warmUp();
      return { provider: demo, demo };
    }
    case 'lnbits':
      return { provider: lnbitsFromEnv(env, sale, adapterDeps) };
    case 'strike':
      return { provider: strikeFromEnv(env, sale, adapterDeps) };
    case 'btcpay':
      return { provider: btcpayFromEnv(env, sale, adapterDeps) };
  }
}
