/** The provider for `POS_PROVIDER`, built from the parsed configuration. */
import type { Config } from '../config';
import { ConfigError } from '../config';
import { DemoWallet } from './demo';
import type { Provider } from './provider';

export interface ProviderSetup {
  provider: Provider;
  /** Set when the provider is the built-in demo wallet. */
  demo?: DemoWallet;
}

export function createProvider(config: Config, now: () => number = Date.now): ProviderSetup {
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
      return { provider: demo, demo };
    }
    default:
      throw new ConfigError([`POS_PROVIDER: ${config.provider} is not supported yet`]);
  }
}
