import { useLingui } from '@lingui/react/macro';
import { useQuery } from '@tanstack/react-query';
import { addDays } from '../../../contract/dates';
import { historyQuery } from '../../api/reports';
import { useConfig } from '../../api/config';
import { intlLocale } from '../../i18n/format';
import { formatAmount, formatSats } from '../../lib/money';
import { ErrorText } from '../../ui/ErrorText';
import { useToday } from './useToday';

const nothing = { count: 0, amountSats: 0, amount: 0, tip: 0 };

/** Today at a glance, against the same weekday last week. */
export function TodayCard() {
  const { t } = useLingui();
  const { currency } = useConfig();
  const today = useToday();
  const sameDayLastWeek = addDays(today, -7);
  const query = useQuery({ ...historyQuery({ from: sameDayLastWeek, to: addDays(today, 1) }, 'day'), refetchInterval: 5_000 });
  const buckets = query.data?.data ?? [];
  const now = buckets.find((b) => b.date === today) ?? nothing;
  const before = buckets.find((b) => b.date === sameDayLastWeek) ?? nothing;
  const gross = now.amount + now.tip;
  const grossBefore = before.amount + before.tip;
  const average = now.count > 0 ? Math.round(gross / now.count) : 0;
  const locale = intlLocale();
  const noon = Date.parse(`${today}T12:00:00Z`);
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(noon);
  const longDate = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(noon);

  let comparison: string;
  if (grossBefore === 0) comparison = gross === 0 ? t`No sales last ${weekday} either.` : t`No sales last ${weekday}.`;
  else {
    const change = new Intl.NumberFormat(locale, { style: 'percent' }).format(Math.abs(gross - grossBefore) / grossBefore);
    const before = formatAmount(grossBefore, currency);
    const arrow = gross >= grossBefore ? '▲' : '▼';
    comparison = t`${arrow} ${change} against last ${weekday} (${before})`;
  }

  return (
    <section aria-labelledby="today-heading" className="rounded-3xl bg-panel p-5 shadow-sm print:hidden">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="today-heading" className="text-2xl font-bold">
          {t`Today`}
        </h2>
        <p className="text-lg text-ink-soft">{longDate}</p>
      </div>
      {query.isError && !query.data ? (
        <p role="alert" className="mt-2 text-lg text-danger">
          {t`Today’s total could not be loaded.`} <ErrorText error={query.error} />
        </p>
      ) : (
        <>
          <p className="mt-1 text-lg text-ink-soft">{t`Paid sales, with tips`}</p>
          {/* A busy day's total in a long currency format ("10.913,00 US$") must fit a 360 px phone: the
              size follows the screen's width there, and a still longer figure wraps rather than overflows. */}
          <p data-testid="today-total" className="text-[length:min(2.25rem,9vw)] leading-tight font-extrabold tabular-nums wrap-anywhere sm:text-5xl" aria-live="polite">
            {query.data ? formatAmount(gross, currency) : '…'}
          </p>
          <dl className="mt-3 grid gap-2 sm:grid-cols-2 sm:gap-3 landscape:grid-cols-4">
            <Stat label={t`Sales`} value={new Intl.NumberFormat(locale).format(now.count)} testId="today-count" />
            <Stat label={t`In sats`} value={formatSats(now.amountSats)} />
            <Stat label={t`Tips`} value={formatAmount(now.tip, currency)} />
            <Stat label={t`Average sale`} value={formatAmount(average, currency)} />
          </dl>
          <p className="mt-3 text-lg text-ink-soft">{comparison}</p>
        </>
      )}
    </section>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    // On a phone one figure a line, its name beside it: amounts in any language need the width.
    <div className="flex items-baseline justify-between gap-3 rounded-xl bg-canvas px-3 py-2 sm:block">
      <dt className="text-base text-ink-soft">{label}</dt>
      <dd className="text-xl font-bold tabular-nums sm:text-2xl" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
