/**
 * Secrets: provider keys, webhook secrets, PINs, the set-up code and the session secret live only in the proxy's
 * environment. With a sentinel value in every one of them, none appears in the built SPA, in any
 * API response (headers included), or in any log line — through success, refusal and failure.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeBtcpay } from '../../../e2e/fakes/btcpay';
import { listen, type FaultMode, type RunningFake } from '../../../e2e/fakes/common';
import { createFakeLnbits } from '../../../e2e/fakes/lnbits';
import { createFakeStrike } from '../../../e2e/fakes/strike';
import { providerProxy, type ProviderProxy } from '../test-support/harness';

const sentinels = {
  POS_SESSION_SECRET: 'SENTINEL-session-secret-7f3a9c2e4b6d8f01',
  POS_CASHIER_PIN: '918273645501',
  POS_MANAGER_PIN: '564738291002',
  POS_SETUP_CODE: 'SENTINEL-setup-code-3c5e7a9b1d',
  LNBITS_INVOICE_KEY: '5e471e1a5e471e1a5e471e1a5e471e1a',
  STRIKE_API_KEY: 'SENTINEL-strike-api-key-1d2c3b4a',
  STRIKE_WEBHOOK_SECRET: 'SENTINEL-strike-hook-9e8d',
  BTCPAY_API_KEY: 'SENTINEL-btcpay-api-key-0a1b2c3d4e5f',
  BTCPAY_WEBHOOK_SECRET: 'SENTINEL-btcpay-hook-6a7b',
} as const;
const secretValues = Object.values(sentinels);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('Secrets', () => {
  it('none appears in the built SPA or server bundle, even with every secret variable set', async () => {
    const { build } = await import('vite');
    const saved = { ...process.env };
    Object.assign(process.env, sentinels, { VITE_LEAK_CHECK: 'ok', POS_PROVIDER: 'btcpay' });
    const out = mkdtempSync(join(tmpdir(), 'pos-build-'));
    try {
      await build({ configFile: 'vite.config.ts', logLevel: 'silent', build: { outDir: join(out, 'client'), emptyOutDir: true } });
      await build({
        configFile: 'vite.config.ts',
        logLevel: 'silent',
        build: { ssr: 'src/server/entries/node.ts', outDir: join(out, 'server'), emptyOutDir: true },
      });
      const built = files(out);
      expect(built.some((f) => f.endsWith('.js'))).toBe(true);
      for (const file of built) {
        const text = readFileSync(file, 'latin1');
        for (const secret of secretValues) expect(text.includes(secret), `${secret} in ${file}`).toBe(false);
      }
    } finally {
      process.env = saved;
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);

  describe('none appears in a response or a log line', () => {
    const fakes: RunningFake[] = [];
    const lnbits = createFakeLnbits({ invoiceKey: sentinels.LNBITS_INVOICE_KEY });
    const strike = createFakeStrike({ apiKey: sentinels.STRIKE_API_KEY });
    const btcpay = createFakeBtcpay({ apiKey: sentinels.BTCPAY_API_KEY });
    const urls: Record<string, string> = {};

    beforeAll(async () => {
      for (const [name, app] of [['lnbits', lnbits.app], ['strike', strike.app], ['btcpay', btcpay.app]] as const) {
        const running = await listen(app);
        fakes.push(running);
        urls[name] = running.url;
      }
    });
    afterAll(async () => {
      btcpay.dispose();
      await Promise.all(fakes.map((f) => f.close()));
    });

    const controls = { lnbits: lnbits.control, strike: strike.control, btcpay: btcpay.control };

    function proxyFor(provider: 'lnbits' | 'strike' | 'btcpay', key?: string): ProviderProxy {
      return providerProxy(
        {
          ...sentinels,
          POS_PROVIDER: provider,
          POS_PUBLIC_URL: 'https://pos.example.com',
          LNBITS_URL: urls.lnbits!,
          STRIKE_API_URL: urls.strike!,
          BTCPAY_URL: urls.btcpay!,
          BTCPAY_STORE_ID: btcpay.storeId,
          ...(key ? { LNBITS_INVOICE_KEY: key, STRIKE_API_KEY: key, BTCPAY_API_KEY: key } : {}),
        },
        // One deadline covers every provider request of an API request (deadline.ts): room for a few.
        { timeoutMs: 1_500 },
      );
    }

    async function everything(proxy: ProviderProxy, provider: keyof typeof controls): Promise<string[]> {
      const seen: string[] = [];
      const record = (res: { text: string; headers: Headers }) => seen.push(res.text, JSON.stringify([...res.headers]));
      const call = async (method: string, path: string, options: Parameters<ProviderProxy['call']>[2] = {}) => {
        const res = await proxy.call(method, path, options);
        record(res);
        return res;
      };
      expect((await call('POST', '/api/session', { body: { pin: sentinels.POS_CASHIER_PIN } })).body.error.code).toBe('device_not_paired');
      expect((await call('POST', '/api/devices/pair', { body: { code: 'SENTINEL-setup-code-3c5e7a9b1e' } })).body.error.code).toBe('invalid_code');
      const paired = await call('POST', '/api/devices/pair', { body: { code: sentinels.POS_SETUP_CODE, name: 'Till' } });
      const tablet = { 'X-POS-Device': paired.body.device as string };
      const wrongPin = await call('POST', '/api/session', { body: { pin: '0000' }, headers: tablet });
      expect(wrongPin.status).toBe(401);
      const cashier = (await call('POST', '/api/session', { body: { pin: sentinels.POS_CASHIER_PIN }, headers: tablet })).body.token as string;
      const manager = (await call('POST', '/api/session', { body: { pin: sentinels.POS_MANAGER_PIN }, headers: tablet })).body.token as string;
      await call('GET', '/api/devices', { token: manager });
      await call('POST', '/api/devices/codes', { token: manager });
      await call('GET', '/api/config');
      await call('GET', '/api/health');
      await call('GET', '/api/rate', { token: cashier });
      const created = await call('POST', '/api/invoices', { token: cashier, body: { amount: 1234, currency: 'USD', memo: 'x' } });
      await call('GET', `/api/invoices/${created.body?.id ?? 'x'}`, { token: cashier });
      await call('POST', `/api/invoices/${created.body?.id ?? 'x'}/cancel`, { token: cashier });
      await call('POST', '/api/invoices', { token: cashier, body: { amount: -1 } });
      await call('GET', '/api/payments', { token: manager });
      await call('GET', '/api/history', { token: manager });
      await call('GET', '/api/cashup?date=2026-11-22', { token: manager });
      await call('POST', `/api/webhooks/${provider}`, { body: { forged: true }, headers: { 'X-Webhook-Signature': 'ab', 'BTCPay-Sig': 'sha256=ab' } });
      for (const mode of ['error', 'unavailable', 'rate-limited', 'garbage', 'hang'] satisfies FaultMode[]) {
        controls[provider].setFault({ mode, scope: 'all' });
        await call('POST', '/api/invoices', { token: cashier, body: { amount: 500, currency: 'USD' } });
        await call('GET', '/api/payments', { token: manager });
        controls[provider].setFault({ mode: 'none' });
      }
      await call('DELETE', '/api/session', { token: cashier });
      return [...seen, ...proxy.logs];
    }

    it.each(['lnbits', 'strike', 'btcpay'] as const)('%s: every route, refusal and provider fault', async (provider) => {
      const texts = await everything(proxyFor(provider), provider);
      expect(texts.length).toBeGreaterThan(30);
      for (const text of texts) for (const secret of secretValues) expect(text.includes(secret), `${secret} leaked`).toBe(false);
    }, 30_000);

    it.each(['lnbits', 'strike', 'btcpay'] as const)('%s: a wrong key is refused without repeating it', async (provider) => {
      const wrong = provider === 'lnbits' ? 'abcdefabcdefabcdefabcdefabcdef12' : 'SENTINEL-wrong-key-000000000000000000';
      const proxy = proxyFor(provider, wrong);
      const token = await proxy.login();
      const res = await proxy.call('POST', '/api/invoices', { token, body: { amount: 100, currency: 'USD' } });
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(res.body.error.message).toMatch(/key|store/i);
      for (const text of [res.text, ...proxy.logs]) expect(text).not.toContain(wrong);
    });
  });
});
