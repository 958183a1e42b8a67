/**
 * What differs between BTCPay Server releases and store set-ups. Each quirk names the
 * btcpayserver/btcpayserver file and version it was read from.
 */
import { atLeast } from '../common';

export interface BtcpayMode {
  /** The BTCPay Server release the fake plays, e.g. '2.4.1', '2.0.0' or '1.10.3'. */
  version: string;
  /**
   * The store setting "lazy payment methods": a payment method is made only when someone asks
   * (`POST …/payment-methods/{id}/activate`); until then it has no destination.
   */
  lazyPaymentMethods: boolean;
}

export const DEFAULT_BTCPAY_MODE: BtcpayMode = { version: '2.4.1', lazyPaymentMethods: false };

/**
 * Payment-method ids and the `payment-methods` shape. `BTCPayServer.Client/Models/
 * InvoicePaymentMethodDataModel.cs`: v1.13.7 names the method in `paymentMethod` (`BTC-LightningNetwork`,
 * `BTC` on-chain, `BTC-LNURLPAY`) with `cryptoCode`; v2.0.0 in `paymentMethodId` (`BTC-LN`, `BTC-CHAIN`,
 * `BTC-LNURL`) with `currency`. v2 still accepts the old ids on input (`Payments/PaymentMethodId.cs`).
 */
export function paymentMethodIds(mode: BtcpayMode) {
  return atLeast(mode.version, '2.0.0')
    ? { shape: 'v2' as const, lightning: 'BTC-LN', lnurl: 'BTC-LNURL', onchain: 'BTC-CHAIN', accepted: ['BTC-LN', 'BTC-LightningNetwork', 'BTC-CHAIN', 'BTC', 'BTC-LNURL', 'BTC-LNURLPAY'] }
    : { shape: 'v1' as const, lightning: 'BTC-LightningNetwork', lnurl: 'BTC-LNURLPAY', onchain: 'BTC', accepted: ['BTC-LightningNetwork', 'BTC', 'BTC-OnChain', 'BTC-LNURLPAY'] };
}

/**
 * The list's `status` filter. `Services/Invoices/InvoiceRepository.cs` GetInvoiceQuery: v1.10.3
 * compares the values as given with the stored lower-case legacy statuses, adding lower-case
 * aliases only for paid/processing/confirmed/settled/complete, so `New`, `Expired` and `Invalid`
 * match nothing; v1.11.2 lower-cases every value first (issue #5244, fix #5245).
 */
export function statusFilterMatches(mode: BtcpayMode, asked: string[], legacyStatus: string): boolean {
  const set = new Set(atLeast(mode.version, '1.11.2') ? asked.map((s) => s.toLowerCase()) : asked);
  for (const status of asked.map((s) => s.toLowerCase())) {
    if (status === 'paid') set.add('processing');
    if (status === 'processing') set.add('paid');
    if (status === 'confirmed' || status === 'settled' || status === 'complete') ['complete', 'confirmed', 'settled'].forEach((s) => set.add(s));
  }
  return set.has(legacyStatus);
}

/**
 * `includePaymentMethods`: `Controllers/GreenField/GreenfieldInvoiceController.cs` GetInvoices takes
 * it from v2.3.6 (#6757), GetInvoice from v2.4.1 (#7426); older servers ignore it.
 */
export function inlinesPaymentMethods(mode: BtcpayMode, where: 'list' | 'single'): boolean {
  return atLeast(mode.version, where === 'list' ? '2.3.6' : '2.4.1');
}

/** `InvoiceData.paidAmount`: in GreenfieldInvoiceController.cs ToModel from v2.2.0. */
export function hasPaidAmount(mode: BtcpayMode): boolean {
  return atLeast(mode.version, '2.2.0');
}

/** `skip`/`take` on GetInvoices: from v1.4.0 (GreenfieldInvoiceController.cs); older lists are whole. */
export function pagesLists(mode: BtcpayMode): boolean {
  return atLeast(mode.version, '1.4.0');
}

/** Store-less aliases `/api/v1/invoices/{id}…`: GreenfieldInvoiceController.cs v2.4.0. */
export function hasStorelessRoutes(mode: BtcpayMode): boolean {
  return atLeast(mode.version, '2.4.0');
}
