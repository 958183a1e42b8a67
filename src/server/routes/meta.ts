/** Health, the SPA's start-up config, and the provider's exchange rate. */
import { Hono } from 'hono';
import type { AppConfig, Health } from '../../contract/api';
import { MAX_INVOICE_SATS } from '../../contract/money';
import type { Services } from '../services';
import { requireRole } from '../auth';
import { DEMO_PINS } from '../config';
import { callOf } from '../deadline';

export function metaRoutes({ config, provider, rates, sessions }: Services) {
  return new Hono()
    .get('/health', (c) => c.json({ ok: true, provider: config.provider } satisfies Health))
    .get('/config', (c) =>
      c.json({
        provider: config.provider,
        currency: config.currency,
        timezone: config.timezone,
        storeName: config.storeName,
        demo: config.provider === 'demo',
        ...(config.defaultPins ? { demoPins: { ...DEMO_PINS } } : {}),
        maxInvoiceSats: MAX_INVOICE_SATS,
        pairingRequired: config.pairingRequired,
        ...(config.storeAddress ? { storeAddress: config.storeAddress } : {}),
        tipPercents: config.tipPercents,
        capabilities: { renewsQr: provider.capabilities?.renewsQr ?? false },
        ...(config.language ? { language: config.language } : {}),
      } satisfies AppConfig),
    )
    .get('/rate', requireRole('cashier', sessions), async (c) => c.json(await rates.current(callOf(c, 'checkout'))));
}
