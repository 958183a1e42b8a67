/**
 * The checkout: the QR the customer scans, polled until the proxy says the invoice is paid,
 * expired or cancelled, then the outcome screen. Loaded lazily (it carries the QR encoder), and
 * prefetched while the cashier types.
 */
import { useLingui } from '@lingui/react/macro';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { Invoice, InvoiceStatus } from '../../../contract/api';
import { checkoutInvoiceQuery } from '../../api/checkoutInvoice';
import { ApiError } from '../../lib/api';
import { playPaidChime } from '../../lib/sound';
import { invoicePaid } from '../../sale/store';
import { isSoundOn } from '../../stores/settings';
import { Banner } from '../../ui/Banner';
import { ErrorText } from '../../ui/ErrorText';
import { Spinner } from '../../ui/Spinner';
import { CancelledView, ExpiredView, NotFoundView } from './EndedViews';
import { PaidView } from './PaidView';
import { PendingView } from './PendingView';

export default function CheckoutScreen({ id }: { id: string }) {
  const { t } = useLingui();
  const query = useQuery(checkoutInvoiceQuery(id));
  const invoice = query.data;
  usePaidEffects(invoice);

  if (!invoice) {
    if (query.error instanceof ApiError && query.error.status === 404) return <NotFoundView id={id} />;
    if (query.isError) {
      return (
        <main className="flex h-full flex-col items-center justify-center gap-4 p-6">
          <Banner tone="error">
            {t`Could not load this invoice.`} <ErrorText error={query.error} /> {t`Retrying…`}
          </Banner>
        </main>
      );
    }
    return (
      <main className="flex h-full items-center justify-center gap-4 text-xl" aria-busy="true">
        <Spinner /> {t`Loading invoice…`}
      </main>
    );
  }

  switch (invoice.status) {
    case 'pending':
      return <PendingView invoice={invoice} failure={query.failureCount > 0 ? query.failureReason : null} />;
    case 'paid':
      return <PaidView invoice={invoice} />;
    case 'expired':
      return <ExpiredView invoice={invoice} />;
    case 'cancelled':
      return <CancelledView invoice={invoice} />;
  }
}

/** On the change to paid (on time or late): the chime (when on), and a fresh keypad for the next sale. */
function usePaidEffects(invoice: Invoice | undefined): void {
  const previous = useRef<InvoiceStatus | undefined>(undefined);
  useEffect(() => {
    if (!invoice) return;
    const was = previous.current;
    previous.current = invoice.status;
    if (invoice.status !== 'paid') return;
    invoicePaid(invoice.id);
    if (was !== undefined && was !== 'paid' && isSoundOn()) playPaidChime();
  }, [invoice]);
}
