import { Trans, useLingui } from '@lingui/react/macro';
import { QRCodeSVG } from 'qrcode.react';
import { useState } from 'react';
import { useLocation } from 'wouter';
import type { Invoice } from '../../../contract/api';
import { useConfig } from '../../api/config';
import { useCancelInvoice, usePayDemoInvoice } from '../../api/invoices';
import { ApiError } from '../../lib/api';
import { formatAmount, formatSats } from '../../lib/money';
import { formatCountdown, useNow } from '../../lib/useNow';
import { checkoutLeft } from '../../sale/store';
import { Banner } from '../../ui/Banner';
import { Button } from '../../ui/Button';
import { ErrorText } from '../../ui/ErrorText';
import { Spinner } from '../../ui/Spinner';
import { BoltCard } from './boltcard/BoltCard';
import { ChargedBy } from './ChargedBy';
import { copyText } from './copy';

/**
 * What the customer scans: `LIGHTNING:` + the BOLT11 in upper case, so the QR can use its compact
 * alphanumeric mode (fewer, larger modules, easier to scan), with a 4-module quiet zone.
 */
export function qrPayload(paymentRequest: string): string {
  return `lightning:${paymentRequest}`.toUpperCase();
}

export function PendingView({ invoice, failure }: { invoice: Invoice; failure: Error | null }) {
  const { t } = useLingui();
  const config = useConfig();
  const [, navigate] = useLocation();
  const now = useNow();
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);
  const remainingMs = Date.parse(invoice.expiresAt) - now;
  const renewing = config.capabilities.renewsQr;
  const total = invoice.amount + invoice.tip;

  const cancel = useCancelInvoice();
  const simulate = usePayDemoInvoice();
  const onCancel = () =>
    cancel.mutate(invoice.id, {
      onSuccess: (updated) => {
        checkoutLeft(updated.id, updated.status);
        navigate('/');
      },
    });

  const onCopy = async () => {
    setCopied((await copyText(invoice.paymentRequest)) ? 'copied' : 'failed');
    setTimeout(() => setCopied(null), 2500);
  };

  const tip = formatAmount(invoice.tip, invoice.currency);
  const countdown = (
    <time dateTime={invoice.expiresAt} className="tabular-nums" data-testid="countdown">
      {formatCountdown(remainingMs)}
    </time>
  );

  return (
    <main className="flex h-full min-h-0 flex-col items-center gap-2 overflow-auto p-3 sm:gap-4 sm:p-4 landscape:flex-row landscape:justify-center landscape:gap-8 landscape:p-6">
      <h1 className="sr-only">{t`Checkout`}</h1>
      <figure className="flex shrink-0 flex-col items-center gap-1 rounded-3xl bg-white p-3 shadow-md">
        <QRCodeSVG
          value={qrPayload(invoice.paymentRequest)}
          level="M"
          marginSize={4}
          size={512}
          role="img"
          aria-label={t`Payment QR code`}
          className="block h-auto w-[min(58vw,34vh)] sm:w-[min(62vw,44vh)] landscape:w-[min(46vw,calc(100vh-10rem))]"
        />
        <figcaption className="pb-1 text-base font-medium text-ink-soft sm:text-lg">{t`Scan with any Lightning wallet`}</figcaption>
      </figure>

      <section aria-label={t`Payment`} className="flex w-full max-w-xl flex-col gap-2 sm:gap-3 landscape:max-w-md">
        <div className="flex flex-wrap items-end justify-between gap-x-6 gap-y-1 landscape:block">
          <div>
            <p className="text-lg text-ink-muted max-sm:sr-only">{t`Amount to pay`}</p>
            <p className="text-4xl font-extrabold tabular-nums sm:text-5xl" data-testid="checkout-amount">
              {formatAmount(total, invoice.currency)}
            </p>
            {invoice.currency !== 'SAT' && (
              <p className="text-xl text-ink-soft tabular-nums sm:text-2xl" data-testid="checkout-sats">
                {formatSats(invoice.amountSats)}
              </p>
            )}
          </div>
          <div className="landscape:mt-1">
            {invoice.tip > 0 && (
              <p className="text-lg text-ink-muted">{t`Includes tip ${tip}`}</p>
            )}
            {invoice.memo && (
              <p className="max-w-xs truncate text-xl landscape:max-w-full" data-testid="checkout-memo">
                {invoice.memo}
              </p>
            )}
            <ChargedBy invoice={invoice} />
          </div>
        </div>

        <div role="status" className="rounded-2xl bg-panel px-4 py-2 shadow-sm sm:py-3">
          <p className="flex items-center gap-3 text-lg font-semibold sm:text-xl">
            <Spinner className="size-5 text-brand-strong" />
            {remainingMs > 0 ? t`Waiting for payment` : t`Checking the invoice…`}
          </p>
          {renewing ? (
            // The provider's quotes are short and the proxy renews them: the QR changes, the sale goes on.
            <p className="text-lg text-ink-soft">
              <Trans>This QR refreshes in {countdown}</Trans>
            </p>
          ) : (
            <p className={`text-lg ${remainingMs < 60_000 ? 'font-semibold text-danger' : 'text-ink-soft'}`}>
              <Trans>Expires in {countdown}</Trans>
            </p>
          )}
        </div>

        <BoltCard invoiceId={invoice.id} />

        {failure && (
          <Banner tone="warning">
            {t`Payment status could not be checked:`} <ErrorText error={failure} /> {t`Retrying.`}
          </Banner>
        )}
        {cancel.error && (
          <Banner tone="error">
            <ErrorText error={cancel.error} context="cancel" />
          </Banner>
        )}
        {simulate.error && (
          <Banner tone="error">
            <ErrorText error={simulate.error} context="simulate" />
          </Banner>
        )}

        <div className="grid grid-cols-3 gap-2 sm:gap-3 landscape:grid-cols-1 [&>button]:max-sm:min-h-12 [&>button]:max-sm:px-2 [&>button]:max-sm:text-base">
          <Button onClick={() => void onCopy()}>{t`Copy invoice`}</Button>
          {config.demo && (
            <Button variant="primary" disabled={simulate.isPending} onClick={() => simulate.mutate(invoice.id)}>
              {t`Simulate payment`}
            </Button>
          )}
          <Button
            variant="danger"
            className={config.demo ? '' : 'col-span-2 landscape:col-span-1'}
            disabled={cancel.isPending || (cancel.error instanceof ApiError && cancel.error.status === 409)}
            onClick={onCancel}
          >
            {t`Cancel`}
          </Button>
        </div>
        <p aria-live="polite" className="text-center text-lg font-medium text-paid sm:min-h-7">
          {copied === 'copied' && t`Invoice copied`}
          {copied === 'failed' && <span className="text-danger">{t`Could not copy; select the invoice text instead`}</span>}
        </p>
        <details className="text-ink-muted">
          <summary className="cursor-pointer text-lg">{t`Show invoice text`}</summary>
          <p className="mt-2 font-mono text-sm break-all select-all" data-testid="payment-request">
            {invoice.paymentRequest}
          </p>
        </details>
      </section>
    </main>
  );
}
