import { UNNAMED_CASHIER_ID, type SaleCashier } from '../../contract/api';

/**
 * How a sale's cashier reads on screen and in reports: their name; the shop's one shared cashier
 * PIN of a shop without named cashiers; a cashier whose name the sale could not keep (Strike) and
 * who has left the staff list; or no one, for a sale made before the POS recorded cashiers.
 */
export function cashierLabel(cashier: SaleCashier | null | undefined): string {
  if (!cashier) return 'Not recorded (before cashiers)';
  if (cashier.name) return cashier.name;
  return cashier.id === UNNAMED_CASHIER_ID ? 'Cashier (shared PIN)' : `Former cashier ${cashier.id}`;
}
