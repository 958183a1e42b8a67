/**
 * The manager's reports (docs/api.md `/api/payments`, `/api/history`; extensions `/api/cashup`,
 * `/api/cashiers`, and `/api/shift`: a cashier's own day, which a cashier may see of themselves
 * only): this POS's sales only, read from the provider's share for reports, never the checkouts'.
 */
import { Hono } from 'hono';
import { MANAGER_AS_CASHIER, type SaleCashier } from '../../contract/api';
import { CashupQuery, HistoryQuery, PaymentsQuery, ShiftQuery, type CashierList, type History } from '../../contract/reports';
import { addDays, localDateAt } from '../../contract/dates';
import { requireRole, sessionEnded } from '../auth';
import { callOf } from '../deadline';
import { ApiError, notFound } from '../errors';
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
          ...(query.cashier ? { cashier: query.cashier } : {}),
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
    .get('/cashiers', manager, (c) => {
      const data = config.cashiers.map(({ id, name }) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
      return c.json({ data } satisfies CashierList);
    })
    .get('/cashup', manager, queryOf(CashupQuery), async (c) => c.json(await reports.cashup(c.req.valid('query').date, callOf(c, 'report'))))
    .get('/shift', requireRole('cashier', sessions), queryOf(ShiftQuery), async (c) => {
      const session = c.get('session');
      const asked = c.req.valid('query').cashier;
      let cashier: SaleCashier;
      if (session.role === 'manager') {
        // The manager may look at any cashier's day; without one, their own sales.
        const id = asked ?? MANAGER_AS_CASHIER.id;
        const member = config.cashiers.find((m) => m.id === id);
        if (id !== MANAGER_AS_CASHIER.id && !member) throw notFound('That cashier');
        cashier = member ? { id: member.id, name: member.name } : MANAGER_AS_CASHIER;
      } else {
        // The session check has made sure the cashier is on today's staff list.
        const own = config.cashiers.find((m) => m.id === session.cid);
        if (!own) throw sessionEnded();
        if (asked !== undefined && asked !== own.id) throw new ApiError(403, 'forbidden', 'A cashier may see only their own sales.');
        cashier = { id: own.id, name: own.name };
      }
      return c.json(await reports.shift(localDateAt(now(), tz), cashier, callOf(c, 'report')));
    });
}
