/**
 * The manager's reports (docs/api.md `/api/payments`, `/api/history`; extension `/api/cashup`):
 * this POS's sales only, read from the provider's share for reports, never the checkouts'.
 */
import { Hono } from 'hono';
import { CashupQuery, HistoryQuery, PaymentsQuery, type History } from '../../contract/reports';
import { addDays, localDateAt } from '../../contract/dates';
import { requireRole } from '../auth';
import { callOf } from '../deadline';
import { reportInstant, startOfLocalDay } from '../history';
import type { Services } from '../services';
import { invalid, queryOf } from '../validation';

/** The longest range one report may span. */
const MAX_RANGE_MS = 3 * 366 * 24 * 3600_000;

export function reportRoutes({ config, reports, now, sessions }: Services) {
  const tz = config.timezone;

  function range(from: string | undefined, to: string | undefined, defaultFrom: number | undefined) {
    const start = from === undefined ? defaultFrom : reportInstant(from, tz);
    const end = to === undefined ? undefined : reportInstant(to, tz);
    if (start !== undefined && end !== undefined && start >= end) throw invalid({ to: 'must be after from' });
    return { start, end };
  }

  // Each route checks the role itself: this router is mounted at /api and must not guard others.
  const manager = requireRole('manager', sessions);
  return new Hono()
    .get('/payments', manager, queryOf(PaymentsQuery), async (c) => {
      const query = c.req.valid('query');
      const { start, end } = range(query.from, query.to, undefined);
      const page = await reports.payments(
        {
          ...(start !== undefined ? { from: start } : {}),
          ...(end !== undefined ? { to: end } : {}),
          ...(query.status ? { status: query.status } : {}),
          limit: query.limit,
          offset: query.offset,
        },
        callOf(c, 'report'),
      );
      return c.json(page);
    })
    .get('/history', manager, queryOf(HistoryQuery), async (c) => {
      const query = c.req.valid('query');
      const today = localDateAt(now(), tz);
      // Default: the last 30 local days, today included, up to now.
      const { start, end } = range(query.from, query.to, startOfLocalDay(addDays(today, -29), tz));
      const from = start ?? 0;
      const to = end ?? now();
      if (to - from > MAX_RANGE_MS) throw invalid({ from: 'the range may span at most 3 years' });
      const data = await reports.history({ from, to }, query.group, callOf(c, 'report'));
      return c.json({ timezone: tz, currency: config.currency, group: query.group, data } satisfies History);
    })
    .get('/cashup', manager, queryOf(CashupQuery), async (c) => c.json(await reports.cashup(c.req.valid('query').date, callOf(c, 'report'))));
}
