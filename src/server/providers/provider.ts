/**
 * The one narrow interface every payment provider implements. Adapters speak their vendor's
 * API and return the contract's Invoice; nothing outside an adapter knows a vendor field name.
 */
import type { Invoice, ProviderId, Rate } from '../../contract/api';

export interface NewInvoice {
  /**
   * Our reference for this charge attempt (≤ 40 chars): the vendor's correlation / order id, so
   * that a retry after a lost response can find the invoice instead of making a second one.
   */
  reference: string;
  /** Minor units of `currency`, without the tip. */
  amount: number;
  tip: number;
  currency: string;
  memo: string;
}

export interface Provider {
  readonly id: ProviderId;
  createInvoice(input: NewInvoice): Promise<Invoice>;
  /** The invoice as the provider has it now, or null when the provider does not know it. */
  getInvoice(id: string): Promise<Invoice | null>;
  /** Cancels a pending invoice; null when unknown. Throws `conflict` when it is already paid. */
  cancelInvoice(id: string): Promise<Invoice | null>;
  /** The provider's current price of the store currency. */
  rate(): Promise<Rate>;
}

/**
 * The status the API reports: a pending invoice past its BOLT11 expiry reads `expired`, whatever
 * the provider says (LNbits, for one, keeps unpaid expired invoices `pending` forever).
 */
export function withEffectiveStatus(invoice: Invoice, now: number): Invoice {
  if (invoice.status === 'pending' && Date.parse(invoice.expiresAt) <= now) {
    return { ...invoice, status: 'expired' };
  }
  return invoice;
}
