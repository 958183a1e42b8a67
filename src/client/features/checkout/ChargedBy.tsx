import { Trans } from '@lingui/react/macro';
import type { Invoice } from '../../../contract/api';
import { cashierName } from '../../lib/cashier';
import { useSession } from '../../stores/session';

/**
 * Whose sale this is. A checkout belongs to whoever charged it: when another cashier has unlocked
 * the tablet since, the sale (and its tip) still counts as the first cashier's, and this says so.
 * Nothing shows in a shop without named cashiers, nor for the manager's own sales.
 */
export function ChargedBy({ invoice }: { invoice: Invoice }) {
  const session = useSession();
  const name = cashierName(invoice.cashier);
  if (!name) return null;
  const someoneElse = session?.role === 'cashier' && session.cashier?.id !== invoice.cashier?.id;
  return (
    <p className="text-lg text-ink-muted" data-testid="charged-by">
      {someoneElse ? (
        <Trans>
          Charged by <span className="font-semibold text-ink">{name}</span> · it stays {name}’s sale
        </Trans>
      ) : (
        <Trans>
          Charged by <span className="font-semibold text-ink">{name}</span>
        </Trans>
      )}
    </p>
  );
}
