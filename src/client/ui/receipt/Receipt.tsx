import { useLingui } from '@lingui/react/macro';
import type { Receipt as ReceiptData } from '../../../contract/receipts';
import { intlLocale } from '../../i18n/format';
import { formatAmount, formatSats } from '../../lib/money';
import { impliedBtcPrice } from '../../lib/receipt';

/**
 * One paid sale as a receipt: the store, when it was paid (in the store's zone), amount, tip,
 * total, sats and the rate they imply, who served, the memo, and the payment hash as proof. The
 * same layout on the screen, on an 80 mm roll and on A4 (src/client/styles/screens.css sizes it for
 * each).
 */
export function Receipt({ receipt }: { receipt: ReceiptData }) {
  const { t } = useLingui();
  const total = receipt.amount + receipt.tip;
  const price = impliedBtcPrice(total, receipt.currency, receipt.amountSats);
  const paidAt = new Intl.DateTimeFormat(intlLocale(), { timeZone: receipt.timezone, dateStyle: 'medium', timeStyle: 'medium' }).format(
    Date.parse(receipt.paidAt),
  );
  const title = t`Receipt`;
  return (
    <article className="receipt flex flex-col gap-3 text-ink" aria-label={title}>
      <header className="text-center">
        <p className="receipt-store text-2xl font-bold">{receipt.storeName}</p>
        {receipt.storeAddress && <p className="text-ink-soft">{receipt.storeAddress}</p>}
        <p className="mt-1 font-semibold">{t`Receipt · Paid with Lightning`}</p>
      </header>
      <dl className="receipt-lines grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 border-y-2 border-dashed border-line py-2 tabular-nums">
        <dt>{t`Paid`}</dt>
        <dd className="text-right">
          {paidAt} <span className="text-ink-soft">({receipt.timezone})</span>
        </dd>
        {receipt.cashierName && (
          <>
            <dt>{t`Served by`}</dt>
            <dd className="text-right break-words" data-testid="receipt-cashier">
              {receipt.cashierName}
            </dd>
          </>
        )}
        {receipt.memo && (
          <>
            <dt>{t`Memo`}</dt>
            <dd className="text-right break-words">{receipt.memo}</dd>
          </>
        )}
        <dt>{t`Amount`}</dt>
        <dd className="text-right" data-testid="receipt-amount">{formatAmount(receipt.amount, receipt.currency)}</dd>
        <dt>{t`Tip`}</dt>
        <dd className="text-right" data-testid="receipt-tip">{formatAmount(receipt.tip, receipt.currency)}</dd>
        <dt className="text-lg font-bold">{t`Total`}</dt>
        <dd className="text-right text-lg font-bold" data-testid="receipt-total">
          {formatAmount(total, receipt.currency)}
        </dd>
        {receipt.currency !== 'SAT' && receipt.amountSats > 0 && (
          <>
            <dt>{t`In sats`}</dt>
            <dd className="text-right">{formatSats(receipt.amountSats)}</dd>
          </>
        )}
        {price !== null && (
          <>
            <dt>{t`Rate`}</dt>
            <dd className="text-right">1 BTC = {formatAmount(price, receipt.currency)}</dd>
          </>
        )}
      </dl>
      {receipt.paymentHash && (
        <div>
          <p className="font-semibold">{t`Proof of payment (payment hash)`}</p>
          <p className="font-mono text-sm break-all" data-testid="receipt-hash">
            {receipt.paymentHash}
          </p>
        </div>
      )}
      <p className="text-center text-ink-soft">{t`Thank you!`}</p>
    </article>
  );
}
