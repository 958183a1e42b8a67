/**
 * A fake BTCPay Server's Greenfield API (`Controllers/GreenField/GreenfieldInvoiceController.cs`,
 * `GreenfieldServerInfoController.cs`, v2.0.0): API keys with permissions, store-scoped routes,
 * invoices and their payment methods, marking, archiving, store rates and webhooks. What the POS
 * sends is checked against BTCPay's OpenAPI fragments (./openapi.ts) and mismatches recorded.
 * BTCPay's answers follow its code, not those fragments, which are wrong where they say a
 * payment method's `destination` is never null.
 */
import { Hono, type Context } from 'hono';
import * as z from 'zod/mini';
import type { FakeEnv, VendorErrors } from '../common';
import { btcpaySchemas } from './openapi';
import { listInvoices, readListQuery } from './query';
import { formatBtc, type BtcpayStore, type FakeBtcpayInvoice, type FakePaymentMethod } from './state';
import { hasPaidAmount, hasStorelessRoutes, inlinesPaymentMethods, paymentMethodIds } from './versions';

const PERMISSION = {
  createInvoice: 'btcpay.store.cancreateinvoice',
  viewInvoices: 'btcpay.store.canviewinvoices',
  modifyInvoices: 'btcpay.store.canmodifyinvoices',
  viewStoreSettings: 'btcpay.store.canviewstoresettings',
  modifyStoreSettings: 'btcpay.store.canmodifystoresettings',
  modifyWebhooks: 'btcpay.store.webhooks.canmodifywebhooks',
} as const;

export const DEFAULT_PERMISSIONS = [PERMISSION.createInvoice, PERMISSION.viewInvoices, PERMISSION.modifyWebhooks];

/** Permissions that include others (`swagger.template.json`: "some permissions include others"). */
const IMPLIED: Record<string, readonly string[]> = {
  [PERMISSION.modifyStoreSettings]: Object.values(PERMISSION),
  [PERMISSION.modifyInvoices]: [PERMISSION.viewInvoices, PERMISSION.createInvoice],
  [PERMISSION.viewStoreSettings]: [PERMISSION.viewInvoices],
};

const nginx = (status: string) => `<html><head><title>${status}</title></head><body><center><h1>${status}</h1></center><hr><center>nginx</center></body></html>`;

/** BTCPay's own unhandled errors are ProblemDetails; 503 and 429 come from the reverse proxy in front. */
export const btcpayErrors: VendorErrors = {
  error: (c) => c.json({ code: 'server-error', message: 'An unexpected error happened on the server' }, 500),
  unavailable: (c) => c.html(nginx('503 Service Temporarily Unavailable'), 503),
  rateLimited: (c) => c.html(nginx('429 Too Many Requests'), 429, { 'Retry-After': '1' }),
};

const CreateBody = z.object({
  amount: z.nullish(z.union([z.string(), z.number()])),
  currency: z.nullish(z.string()),
  metadata: z.nullish(z.record(z.string(), z.unknown())),
  checkout: z.nullish(
    z.object({
      paymentMethods: z.nullish(z.array(z.string())),
      expirationMinutes: z.nullish(z.number()),
      lazyPaymentMethods: z.nullish(z.boolean()),
    }),
  ),
});

export function btcpayRoutes(store: BtcpayStore, apiKey: string, permissions: readonly string[], violations: string[]) {
  const { mode } = store;
  const ids = paymentMethodIds(mode);
  const schemas = btcpaySchemas();
  const vendor = new Hono<FakeEnv>();
  vendor.use('*', async (_c, next) => {
    store.expireOverdue();
    await next();
  });

  const record = (c: Context, operationId: string, problems: readonly string[]) => {
    if (problems.length > 0) violations.push(`${c.req.method} ${c.req.path} (${operationId}): ${problems.join('; ')}`);
  };
  const problem = (c: Context, status: 400 | 401 | 403 | 404, code: string, message: string) => c.json({ code, message }, status);
  const invalid = (c: Context, errors: { path: string; message: string }[]) => c.json(errors, 422);

  function grants(needed: string, storeId: string): boolean {
    return (
      storeId === store.id &&
      permissions.some((entry) => {
        const [permission = '', scope] = entry.split(':');
        if (scope !== undefined && scope !== storeId) return false;
        return permission === needed || (IMPLIED[permission] ?? []).includes(needed);
      })
    );
  }

  /** 401 without the key; 403 when it lacks the permission on the path's store, *including a store that does not exist*. */
  function guard(c: Context, permission: string): Response | undefined {
    if (/^token\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '')?.[1] !== apiKey) {
      return problem(c, 401, 'unauthenticated', 'Authentication is required for accessing this endpoint');
    }
    const storeId = c.req.param('storeId') ?? store.id;
    if (grants(permission, storeId)) return undefined;
    return problem(c, 403, 'missing-permission', `Insufficient API Permissions. Please use an API key with permission "${permission}".`);
  }

  function owned(c: Context, permission: string): FakeBtcpayInvoice | Response {
    const denied = guard(c, permission);
    if (denied) return denied;
    const invoice = store.invoices.get(c.req.param('invoiceId') ?? '');
    return invoice ?? problem(c, 404, 'invoice-not-found', 'The invoice was not found');
  }

  const idOf = (method: FakePaymentMethod) => ({ lightning: ids.lightning, lnurl: ids.lnurl, onchain: ids.onchain })[method.kind];

  /** `InvoicePaymentMethodDataModel`, in the release's shape; null destination until activated. */
  function methodJson(method: FakePaymentMethod) {
    const paidSats = method.payments.length > 0 ? BigInt(method.amountSats) : 0n;
    const common = {
      activated: method.activated,
      destination: method.destination,
      paymentLink: method.activated && method.destination ? `${method.kind === 'onchain' ? 'bitcoin' : 'lightning'}:${method.destination}` : '',
      rate: method.rate,
      paymentMethodPaid: formatBtc(paidSats),
      totalPaid: formatBtc(paidSats),
      due: formatBtc(BigInt(method.amountSats) - paidSats),
      amount: formatBtc(BigInt(method.amountSats)),
      payments: method.payments.map((p) => ({ id: p.id, receivedDate: Math.floor(p.receivedAtMs / 1000), value: p.value, fee: '0', status: p.status, destination: p.destination })),
    };
    return ids.shape === 'v2'
      ? { ...common, paymentMethodId: idOf(method), currency: 'BTC', paymentMethodFee: '0', additionalData: method.paymentHash ? { paymentHash: method.paymentHash } : {} }
      : { ...common, paymentMethod: idOf(method), cryptoCode: 'BTC', networkFee: '0', additionalData: {} };
  }

  /** `InvoiceData` (GreenfieldInvoiceController.cs ToModel). */
  function invoiceJson(invoice: FakeBtcpayInvoice, withMethods: boolean) {
    const paid = invoice.methods.some((m) => m.payments.length > 0);
    const expirationTime = Math.floor(invoice.expiresAtMs / 1000);
    return {
      id: invoice.id,
      storeId: invoice.storeId,
      amount: invoice.amount,
      ...(hasPaidAmount(mode) ? { paidAmount: paid ? invoice.amount : '0' } : {}),
      currency: invoice.currency,
      type: 'Standard',
      checkoutLink: `http://127.0.0.1/i/${invoice.id}`,
      createdTime: Math.floor(invoice.createdAtMs / 1000),
      expirationTime,
      monitoringExpiration: expirationTime + 86_400,
      status: invoice.status,
      additionalStatus: invoice.additionalStatus,
      availableStatusesForManualMarking: store.markable(invoice),
      archived: invoice.archived,
      metadata: invoice.metadata,
      checkout: { paymentMethods: invoice.methods.map(idOf), expirationMinutes: invoice.expirySec / 60 },
      ...(withMethods ? { paymentMethods: invoice.methods.map(methodJson) } : {}),
    };
  }

  const invoicePaths = (suffix = '') => [`/api/v1/stores/:storeId/invoices/:invoiceId${suffix}`, ...(hasStorelessRoutes(mode) ? [`/api/v1/invoices/:invoiceId${suffix}`] : [])];

  vendor.get('/api/v1/server/info', (c) => {
    if (/^token\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '')?.[1] !== apiKey) return problem(c, 401, 'unauthenticated', 'Authentication is required for accessing this endpoint');
    return c.json({ version: mode.version, onion: null, supportedPaymentMethods: [ids.onchain, ids.lightning], fullySynched: true, syncStatus: [] });
  });

  vendor.post('/api/v1/stores/:storeId/invoices', async (c) => {
    const denied = guard(c, PERMISSION.createInvoice);
    if (denied) return denied;
    const json: unknown = await c.req.json().catch(() => undefined);
    record(c, 'Invoices_CreateInvoice', schemas.checkRequestBody('Invoices_CreateInvoice', json));
    const parsed = z.safeParse(CreateBody, json);
    if (!parsed.success) return invalid(c, parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
    const input = parsed.data;
    const amount = typeof input.amount === 'number' ? String(input.amount) : (input.amount ?? '');
    if (amount !== '' && !/^\d+(\.\d+)?$/.test(amount)) return invalid(c, [{ path: 'amount', message: 'The amount should be a decimal number' }]);
    const created = store.create({
      amount,
      currency: (input.currency || 'USD').toUpperCase(),
      metadata: input.metadata ?? {},
      paymentMethods: input.checkout?.paymentMethods ?? [],
      expirationMinutes: input.checkout?.expirationMinutes ?? 15,
      lazy: input.checkout?.lazyPaymentMethods ?? undefined,
    });
    if (typeof created === 'string') return problem(c, 400, 'generic-error', created);
    return c.json(invoiceJson(created, false));
  });

  vendor.get('/api/v1/stores/:storeId/invoices', (c) => {
    const denied = guard(c, PERMISSION.viewInvoices);
    if (denied) return denied;
    record(c, 'Invoices_GetInvoices', schemas.checkQuery('Invoices_GetInvoices', c.req.queries()));
    const query = readListQuery((n) => c.req.query(n), (n) => c.req.queries(n), mode);
    if (!query.ok) return invalid(c, query.problems);
    const withMethods = inlinesPaymentMethods(mode, 'list') && c.req.query('includePaymentMethods') === 'true';
    return c.json(listInvoices(store.invoices.values(), c.req.param('storeId'), query).map((i) => invoiceJson(i, withMethods)));
  });

  vendor.on('GET', invoicePaths(), (c) => {
    const invoice = owned(c, PERMISSION.viewInvoices);
    if (invoice instanceof Response) return invoice;
    return c.json(invoiceJson(invoice, inlinesPaymentMethods(mode, 'single') && c.req.query('includePaymentMethods') === 'true'));
  });

  vendor.on('DELETE', invoicePaths(), (c) => {
    const invoice = owned(c, PERMISSION.modifyInvoices);
    if (invoice instanceof Response) return invoice;
    invoice.archived = true;
    return c.body(null, 200);
  });

  vendor.on('GET', invoicePaths('/payment-methods'), (c) => {
    const invoice = owned(c, PERMISSION.viewInvoices);
    return invoice instanceof Response ? invoice : c.json(invoice.methods.map(methodJson));
  });

  vendor.on('POST', invoicePaths('/payment-methods/:paymentMethodId/activate'), (c) => {
    const invoice = owned(c, PERMISSION.viewInvoices);
    if (invoice instanceof Response) return invoice;
    const wanted = c.req.param('paymentMethodId') ?? '';
    const kind = ['BTC-LN', 'BTC-LightningNetwork'].includes(wanted) ? 'lightning' : ['BTC-CHAIN', 'BTC'].includes(wanted) ? 'onchain' : undefined;
    const method = invoice.methods.find((m) => m.kind === kind);
    if (!method) return invalid(c, [{ path: 'paymentMethod', message: 'Invalid payment method' }]);
    store.activateMethod(invoice, method);
    return c.body(null, 200);
  });

  vendor.on('POST', invoicePaths('/status'), async (c) => {
    const invoice = owned(c, PERMISSION.modifyInvoices);
    if (invoice instanceof Response) return invoice;
    const parsed = z.safeParse(z.object({ status: z.enum(['Settled', 'Invalid']) }), await c.req.json().catch(() => undefined));
    if (!parsed.success || !store.markable(invoice).includes(parsed.data.status)) {
      return invalid(c, [{ path: 'status', message: 'Status can only be marked to invalid or settled within certain conditions.' }]);
    }
    store.mark(invoice, parsed.data.status);
    return c.json(invoiceJson(invoice, false));
  });

  vendor.get('/api/v1/stores/:storeId/rates', (c) => {
    const denied = guard(c, PERMISSION.viewStoreSettings);
    if (denied) return denied;
    const pairs = c.req.queries('currencyPair') ?? ['BTC_USD'];
    return c.json(
      pairs.map((pair) => {
        const price = store.btcPrice(pair.toUpperCase().split('_')[1] ?? '');
        return price ? { currencyPair: pair.toUpperCase(), errors: [], rate: String(Number(price.units) / 10 ** price.scale) } : { currencyPair: pair.toUpperCase(), errors: ['No rate'] };
      }),
    );
  });

  vendor.post('/api/v1/stores/:storeId/webhooks', async (c) => {
    const denied = guard(c, PERMISSION.modifyWebhooks);
    if (denied) return denied;
    const parsed = z.safeParse(z.object({ url: z.url(), secret: z.optional(z.string()) }), await c.req.json().catch(() => undefined));
    if (!parsed.success) return invalid(c, [{ path: 'url', message: 'Invalid Url' }]);
    const webhook = store.addWebhook(parsed.data.url, parsed.data.secret || crypto.randomUUID());
    // The only answer that ever shows the secret.
    return c.json({ id: webhook.id, url: webhook.url, enabled: true, automaticRedelivery: false, secret: webhook.secret });
  });

  vendor.all('*', (c) => c.json({ code: 'not-found', message: 'Not found' }, 404));
  return vendor;
}
