import { useQueries, type Query } from '@tanstack/react-query';
import { Link } from 'wouter';
import type { Invoice } from '../../../contract/api';
import { invoiceQuery } from '../../api/invoices';
import { useAppConfig } from '../../app/config';
import { formatAmount } from '../../lib/money';
import { useRecentSales } from '../../stores/recent';
import { statusLabel, StatusBadge } from '../../ui/StatusBadge';

/** Recent sales are checked every few seconds, not every second: the checkout does that. */
export const RECENT_POLL_MS = 5_000;

/**
 * Keep asking while the invoice could still change: pending, or cancelled where the provider
 * could not revoke it (a late payment then shows up here as paid), until it has expired.
 */
export function recentPollMs(query: Query<Invoice, Error>): number | false {
  const invoice = query.state.data;
  if (!invoice) return RECENT_POLL_MS;
  if (invoice.status === 'paid' || invoice.status === 'expired') return false;
  return Date.now() < Date.parse(invoice.expiresAt) + 60_000 ? RECENT_POLL_MS : false;
}

/** The tablet's last sales with their live status, to answer "did it go through?". */
export function RecentSales() {
  const { timezone } = useAppConfig();
  const recent = useRecentSales();
  const invoices = useQueries({
    queries: recent.map((sale) => ({ ...invoiceQuery(sale.id), refetchInterval: recentPollMs })),
  });
  if (recent.length === 0) return null;
  const time = new Intl.DateTimeFormat(undefined, { timeZone: timezone, hour: '2-digit', minute: '2-digit' });
  return (
    <section aria-label="Recent sales" className="min-w-0">
      <h2 className="mb-1 text-base font-semibold text-ink-soft">Recent sales</h2>
      <ul className="flex gap-2 overflow-x-auto pb-1">
        {recent.map((sale, index) => {
          const invoice = invoices[index]?.data;
          return (
            <li key={sale.id} className="shrink-0">
              <Link
                href={`/checkout/${sale.id}`}
                className="flex min-h-touch items-center gap-2 rounded-xl border-2 border-line bg-panel px-3 text-base hover:bg-gray-50"
                aria-label={
                  invoice
                    ? `${time.format(sale.at)}, ${formatAmount(invoice.amount + invoice.tip, invoice.currency)}, ${statusLabel(invoice.status)}`
                    : `${time.format(sale.at)}, checking`
                }
              >
                <span className="tabular-nums text-ink-muted">{time.format(sale.at)}</span>
                {invoice ? (
                  <>
                    <span className="font-semibold tabular-nums">{formatAmount(invoice.amount + invoice.tip, invoice.currency)}</span>
                    <StatusBadge status={invoice.status} />
                  </>
                ) : (
                  <span className="text-ink-muted">…</span>
                )}
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
