/**
 * The API suite: the routes of docs/api.md exercised over HTTP alone (no fake clocks, no reaching into the
 * process), so that the very same tests run against every entry of the proxy — `app.request` on
 * Node, and the Workers entry on workerd through miniflare.
 *
 * The target runs the demo wallet with `SUITE_ENV`; each test speaks as its own client
 * (`CF-Connecting-IP`) so that per-client limits do not cross tests.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { amountSatsOf, decodePaymentRequest } from '../bolt11';
import type { CallOptions, CallResult } from './harness';

export const SUITE_ENV = {
  POS_PROVIDER: 'demo',
  POS_SESSION_SECRET: 'api-suite-session-secret-0123456789abcdef',
  DEMO_INVOICE_EXPIRY: '3',
  POS_CREATE_LIMIT: '25',
} as const;

export interface ApiTarget {
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
}

let clients = 0;
/** A fresh client address for a test. */
const newClient = () => `198.51.100.${++clients}`;

export function apiSuite(name: string, target: () => ApiTarget): void {
  describe(name, () => {
    let api: ApiTarget;
    const as = (client: string) => ({
      call: (method: string, path: string, options: CallOptions = {}) =>
        api.call(method, path, { ...options, headers: { 'CF-Connecting-IP': client, ...options.headers } }),
    });
    async function session(pin: string, client = newClient()): Promise<string> {
      const res = await as(client).call('POST', '/api/session', { body: { pin } });
      expect(res.status).toBe(200);
      return res.body.token as string;
    }

    beforeAll(() => {
      api = target();
    });

    it('health and config', async () => {
      expect((await api.call('GET', '/api/health')).body).toEqual({ ok: true, provider: 'demo' });
      const config = await api.call('GET', '/api/config');
      expect(config.body).toMatchObject({ provider: 'demo', currency: 'USD', timezone: 'UTC', demo: true, maxInvoiceSats: 10_000_000 });
    });

    it('security headers on every response, and JSON errors for unknown routes', async () => {
      for (const path of ['/api/health', '/api/nope']) {
        const res = await api.call('GET', path);
        expect(res.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
        expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
        expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
      }
      const missing = await api.call('GET', '/api/nope');
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('not_found');
    });

    it('sessions: roles, wrong PINs, bad bodies', async () => {
      const client = as(newClient());
      expect((await client.call('POST', '/api/session', { body: { pin: '1234' } })).body.role).toBe('cashier');
      expect((await client.call('POST', '/api/session', { body: { pin: '9999' } })).body.role).toBe('manager');
      const wrong = await client.call('POST', '/api/session', { body: { pin: '0000' } });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toMatchObject({ code: 'invalid_pin', details: { attemptsLeft: 4 } });
      expect((await client.call('POST', '/api/session', { body: { pin: '12' } })).status).toBe(400);
      expect((await client.call('POST', '/api/session', { rawBody: '{"pin":"1234"}', headers: { 'Content-Type': 'text/plain' } })).status).toBe(415);
      expect((await client.call('POST', '/api/session', { rawBody: '{"pin":', headers: { 'Content-Type': 'application/json' } })).status).toBe(400);
    });

    it('5 wrong PINs lock a client out, even for the right PIN; another client is not affected', async () => {
      const client = as(newClient());
      for (let i = 0; i < 5; i++) expect((await client.call('POST', '/api/session', { body: { pin: '0000' } })).status).toBe(401);
      const locked = await client.call('POST', '/api/session', { body: { pin: '1234' } });
      expect(locked.status).toBe(429);
      expect(locked.body.error.code).toBe('too_many_attempts');
      expect(Number(locked.headers.get('Retry-After'))).toBeGreaterThan(0);
      expect((await as(newClient()).call('POST', '/api/session', { body: { pin: '1234' } })).status).toBe(200);
    });

    it('Lock ends the session on the server, even one the proxy has just verified', async () => {
      const client = as(newClient());
      const token = await session('1234');
      expect((await api.call('GET', '/api/rate', { token })).status).toBe(200);
      expect((await client.call('DELETE', '/api/session', { token })).status).toBe(204);
      const after = await api.call('GET', '/api/rate', { token });
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('unauthorized');
      expect((await client.call('DELETE', '/api/session', { token })).status).toBe(401);
      expect((await api.call('DELETE', '/api/session')).status).toBe(401);
      // Unlocking again gives a new, working session.
      expect((await api.call('GET', '/api/rate', { token: await session('1234') })).status).toBe(200);
    });

    it('a manager pairs a tablet with a one-time code, sees it, and un-pairing it ends its session', async () => {
      const manager = await session('9999');
      const made = await api.call('POST', '/api/devices/codes', { token: manager });
      expect(made.status).toBe(201);
      expect(made.body.code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
      const tablet = as(newClient());
      const paired = await tablet.call('POST', '/api/devices/pair', { body: { code: made.body.code.toLowerCase(), name: 'Back counter' } });
      expect(paired.status).toBe(200);
      expect(paired.body).toMatchObject({ id: expect.any(String), name: 'Back counter', device: expect.stringContaining('.') });
      // One time only.
      expect((await as(newClient()).call('POST', '/api/devices/pair', { body: { code: made.body.code } })).body.error.code).toBe('invalid_code');

      const unlocked = await tablet.call('POST', '/api/session', { body: { pin: '1234' }, headers: { 'X-POS-Device': paired.body.device } });
      expect(unlocked.status).toBe(200);
      const token = unlocked.body.token as string;
      expect((await api.call('GET', '/api/rate', { token })).status).toBe(200);
      const listed = await api.call('GET', '/api/devices', { token: manager });
      expect(listed.body.data).toContainEqual(
        expect.objectContaining({ id: paired.body.id, name: 'Back counter', current: false, lockedUntil: null, lastSeenAt: expect.any(String) }),
      );
      expect((await api.call('GET', '/api/devices', { token })).status).toBe(403);

      expect((await api.call('DELETE', `/api/devices/${paired.body.id}`, { token: manager })).status).toBe(204);
      expect((await api.call('GET', '/api/rate', { token })).status).toBe(401);
      expect((await api.call('GET', '/api/devices', { token: manager })).body.data.map((d: { id: string }) => d.id)).not.toContain(paired.body.id);
      expect((await api.call('DELETE', `/api/devices/${paired.body.id}`, { token: manager })).status).toBe(404);
    });

    it('a manager signs out every device, their own session too', async () => {
      const cashier = await session('1234');
      const manager = await session('9999');
      expect((await api.call('POST', '/api/devices/sign-out', { token: cashier })).status).toBe(403);
      expect((await api.call('POST', '/api/devices/sign-out', { token: manager })).status).toBe(204);
      expect((await api.call('GET', '/api/rate', { token: cashier })).status).toBe(401);
      expect((await api.call('GET', '/api/devices', { token: manager })).status).toBe(401);
      expect((await api.call('GET', '/api/rate', { token: await session('1234') })).status).toBe(200);
    });

    it('every protected route wants a token, and the manager routes a manager', async () => {
      const cashier = await session('1234');
      for (const [method, path] of [['GET', '/api/rate'], ['POST', '/api/invoices'], ['GET', '/api/invoices/abc'], ['GET', '/api/payments'], ['GET', '/api/history']] as const) {
        expect((await api.call(method, path)).status, path).toBe(401);
      }
      for (const path of ['/api/payments', '/api/history', '/api/cashup?date=2026-11-22']) {
        expect((await api.call('GET', path, { token: cashier })).status, path).toBe(403);
      }
      expect((await api.call('GET', '/api/rate', { token: cashier })).body).toMatchObject({ currency: 'USD', satsPerUnit: 1000, source: 'demo' });
    });

    it('creates an invoice whose BOLT11 says what the API says', async () => {
      const token = await session('1234');
      const res = await api.call('POST', '/api/invoices', { token, body: { amount: 1234, currency: 'USD', memo: '2 coffees', tip: 100 } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'pending', amount: 1234, tip: 100, currency: 'USD', amountSats: 13_340, memo: '2 coffees', paidAt: null });
      const bolt11 = decodePaymentRequest(res.body.paymentRequest);
      expect(bolt11.network).toBe('bcrt');
      expect(amountSatsOf(bolt11)).toBe(res.body.amountSats);
      expect(bolt11.paymentHash).toBe(res.body.paymentHash);
      expect(bolt11.description).toBe('2 coffees');
      expect(Date.parse(res.body.expiresAt)).toBe(bolt11.expiresAt);
      expect((await api.call('POST', '/api/invoices', { token, body: { amount: 21_000, currency: 'SAT' } })).body.amountSats).toBe(21_000);
    });

    it('refuses bad invoices with 400 and the field, big bodies with 413', async () => {
      const token = await session('1234');
      for (const [body, field] of [
        [{ amount: 0, currency: 'USD' }, 'amount'],
        [{ amount: 1.5, currency: 'USD' }, 'amount'],
        [{ amount: 100, currency: 'EUR' }, 'currency'],
        [{ amount: 100, currency: 'USD', memo: 'x'.repeat(141) }, 'memo'],
        [{ amount: 100, currency: 'USD', tip: -1 }, 'tip'],
        [{ amount: 1_000_001, currency: 'USD' }, 'amount'],
      ] as const) {
        const res = await api.call('POST', '/api/invoices', { token, body });
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.details).toHaveProperty([field]);
      }
      const big = await api.call('POST', '/api/invoices', { token, body: { amount: 1, currency: 'USD', pad: 'x'.repeat(17_000) } });
      expect(big.status).toBe(413);
    });

    it('Idempotency-Key: one invoice per key, even for a burst; another sale on the key is a conflict', async () => {
      const token = await session('1234');
      const key = `suite-${Date.now()}-${Math.random()}`;
      const burst = await Promise.all(
        Array.from({ length: 5 }, () => api.call('POST', '/api/invoices', { token, body: { amount: 500, currency: 'USD' }, headers: { 'Idempotency-Key': key } })),
      );
      expect(new Set(burst.map((r) => String(r.body.id))).size).toBe(1);
      expect(burst.filter((r) => r.status === 201)).toHaveLength(1);
      const again = await api.call('POST', '/api/invoices', { token, body: { amount: 500, currency: 'USD' }, headers: { 'Idempotency-Key': key } });
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(burst[0]!.body.id);
      const other = await api.call('POST', '/api/invoices', { token, body: { amount: 501, currency: 'USD' }, headers: { 'Idempotency-Key': key } });
      expect(other.status).toBe(409);
      expect((await api.call('POST', '/api/invoices', { token, body: { amount: 1, currency: 'USD' }, headers: { 'Idempotency-Key': 'k'.repeat(65) } })).status).toBe(400);
    });

    it('reads, cancels and pays: cancelled cannot be paid, paid cannot be cancelled', async () => {
      const token = await session('1234');
      const first = (await api.call('POST', '/api/invoices', { token, body: { amount: 700, currency: 'USD' } })).body;
      expect((await api.call('GET', `/api/invoices/${first.id}`, { token })).body.status).toBe('pending');
      expect((await api.call('POST', `/api/invoices/${first.id}/cancel`, { token })).body.status).toBe('cancelled');
      expect((await api.call('POST', `/api/demo/invoices/${first.id}/pay`, { token })).status).toBe(409);
      const second = (await api.call('POST', '/api/invoices', { token, body: { amount: 800, currency: 'USD' } })).body;
      const paid = await api.call('POST', `/api/demo/invoices/${second.id}/pay`, { token });
      expect(paid.body).toMatchObject({ status: 'paid' });
      expect((await api.call('GET', `/api/invoices/${second.id}`, { token })).body.status).toBe('paid');
      expect((await api.call('POST', `/api/invoices/${second.id}/cancel`, { token })).status).toBe(409);
      expect((await api.call('GET', '/api/invoices/0123456789abcdef0123456789abcdef', { token })).status).toBe(404);
      expect((await api.call('GET', '/api/invoices/a%20b', { token })).status).toBe(400);
    });

    it('an unpaid invoice expires at its BOLT11 expiry and cannot be paid after', async () => {
      const token = await session('1234');
      const invoice = (await api.call('POST', '/api/invoices', { token, body: { amount: 900, currency: 'USD' } })).body;
      await new Promise((resolve) => setTimeout(resolve, Date.parse(invoice.expiresAt) - Date.now() + 300));
      expect((await api.call('GET', `/api/invoices/${invoice.id}`, { token })).body.status).toBe('expired');
      expect((await api.call('POST', `/api/demo/invoices/${invoice.id}/pay`, { token })).status).toBe(409);
    }, 10_000);

    it('reports: payments, history and cash-up for the manager', async () => {
      const cashier = await session('1234');
      const manager = await session('9999');
      const sale = (await api.call('POST', '/api/invoices', { token: cashier, body: { amount: 1111, currency: 'USD', memo: 'report' } })).body;
      await api.call('POST', `/api/demo/invoices/${sale.id}/pay`, { token: cashier });
      const payments = await api.call('GET', '/api/payments?status=paid&limit=100', { token: manager });
      expect(payments.status).toBe(200);
      expect(payments.body.data.map((i: { id: string }) => i.id)).toContain(sale.id);
      const today = new Date().toISOString().slice(0, 10);
      const history = await api.call('GET', '/api/history?group=day', { token: manager });
      const bucket = history.body.data.find((b: { date: string }) => b.date === today);
      expect(bucket.count).toBeGreaterThanOrEqual(1);
      expect(bucket.amount).toBeGreaterThanOrEqual(1111);
      const cashup = await api.call('GET', `/api/cashup?date=${today}`, { token: manager });
      expect(cashup.body.totals.paid.count).toBeGreaterThanOrEqual(1);
      expect((await api.call('GET', '/api/payments?limit=0', { token: manager })).status).toBe(400);
    });

    it('invoice creation is limited per client and minute', async () => {
      const client = as(newClient());
      const token = (await client.call('POST', '/api/session', { body: { pin: '1234' } })).body.token as string;
      const limit = Number(SUITE_ENV.POS_CREATE_LIMIT);
      const statuses: number[] = [];
      // More than two minutes' worth: even across a minute's turn, some must be refused.
      for (let i = 0; i < 2 * limit + 1; i++) {
        statuses.push((await client.call('POST', '/api/invoices', { token, body: { amount: 100, currency: 'USD' } })).status);
      }
      expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(limit);
      expect(statuses).toContain(429);
      expect(statuses.every((s) => s === 201 || s === 429)).toBe(true);
    }, 20_000);

    it('webhooks for a provider the POS does not use are 404', async () => {
      expect((await api.call('POST', '/api/webhooks/demo', { body: {} })).status).toBe(404);
      expect((await api.call('POST', '/api/webhooks/strike', { body: {} })).status).toBe(404);
    });
  });
}
