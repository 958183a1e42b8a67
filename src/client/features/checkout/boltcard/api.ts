import { CardWithdrawal } from '../../../../contract/cards';
import { apiRequest } from '../../../lib/api';

/** Hands the link read from a customer's card to the proxy, which has the card pay this invoice. */
export const payWithCard = (invoiceId: string, lnurl: string) =>
  apiRequest(CardWithdrawal, `/invoices/${encodeURIComponent(invoiceId)}/withdraw`, { method: 'POST', body: { lnurl } });
