import type { Invoice } from '../../../contract/api';
import { useSession } from '../../stores/session';

/**
 * Whose sale this is. A checkout belongs to whoever charged it: when another cashier has unlocked
 * the tablet since, the sale (and its tip) still counts as the first cashier's, and this says so.
 * Nothing shows in a shop without named cashiers.
 */
export function ChargedBy({ invoice }: { invoice: Invoice }) {
  const session = useSession();
  const name = invoice.cashier?.name;
  if (!name) return null;
  const someoneElse = session?.cashier?.id !== invoice.cashier?.id && session?.role === 'cashier';
  return (
    <p className="text-lg text-ink-muted" data-testid="charged-by">
      Charged by <span className="font-semibold text-ink">{name}</span>
      {someoneElse && ` · it stays ${name}’s sale`}
    </p>
  );
}
