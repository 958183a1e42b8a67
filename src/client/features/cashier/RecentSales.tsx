import { useLingui } from '@lingui/react/macro';
import { useQueries } from '@tanstack/react-query';
import { Link } from 'wouter';
import { recentInvoiceQuery } from '../../api/invoices';
import { useConfig } from '../../api/config';
import { intlLocale } from '../../i18n/format';
import { formatAmount } from '../../lib/money';
import { useRecentSales } from '../../stores/recent';
import { useSession } from '../../stores/session';
import { statusLabel, StatusBadge } from '../../ui/StatusBadge';

/**
 * The tablet's last sales with their live status, to answer "did it go through?". A parked sale,
 * or one that expired or was cancelled, is still read now and then: a late payment shows up here.
 */
export default function RecentSales() {
  const { t } = useLingui();
  const { timezone } = useConfig();
  const session = useSession();
  // On a shared tablet, a cashier's own sales (the manager sees every one).
  const recent = useRecentSales().filter(
    (sale) => session?.role === 'manager' || !sale.cashier || sale.cashier === session?.cashier?.id,
  );
  const invoices = useQueries({ queries: recent.map((sale) => recentInvoiceQuery(sale.id)) });
  if (recent.length === 0) return null;
  const time = new Intl.DateTimeFormat(intlLocale(), { timeZone: timezone, hour: '2-digit', minute: '2-digit' });
  return (
    <section aria-label={t`Recent sales`} className="min-w-0">
      <h2 className="mb-1 text-base font-semibold text-ink-soft max-sm:sr-only">{t`Recent sales`}</h2>
      <ul className="flex gap-2 overflow-x-auto pb-1">
        {recent.map((sale, index) => {
          const invoice = invoices[index]?.data;
          const at = time.format(sale.at);
          const label = () => {
            if (!invoice) return t`${at}, checking`;
            const total = formatAmount(invoice.amount + invoice.tip, invoice.currency);
            const status = statusLabel(invoice.status);
            if (invoice.tip === 0) return t`${at}, ${total}, ${status}`;
            const tip = formatAmount(invoice.tip, invoice.currency);
            return t`${at}, ${total}, ${status}, tip ${tip}`;
          };
          return (
            <li key={sale.id} className="shrink-0">
              <Link
                href={`/checkout/${sale.id}`}
                className="flex min-h-12 items-center gap-2 rounded-xl border-2 border-line bg-panel px-3 text-base hover:bg-gray-50 sm:min-h-touch"
                aria-label={label()}
              >
                <span className="tabular-nums text-ink-muted">{at}</span>
                {invoice ? (
                  <>
                    <span className="font-semibold tabular-nums">{formatAmount(invoice.amount + invoice.tip, invoice.currency)}</span>
                    {invoice.tip > 0 && <span className="text-sm text-ink-muted">{t`incl. tip`}</span>}
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
