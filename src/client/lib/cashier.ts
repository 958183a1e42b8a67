import { i18n } from '@lingui/core';
import { msg } from '@lingui/core/macro';
import { MANAGER_AS_CASHIER, UNNAMED_CASHIER_ID, type SaleCashier } from '../../contract/api';

/**
 * How a sale's cashier reads on screen and in reports, in the POS's language: their name; the
 * manager; the shop's one shared cashier PIN of a shop without named cashiers; a cashier who has
 * left the staff list (the sale keeps only their id); or no one, for a sale made before the POS
 * recorded cashiers.
 */
export function cashierLabel(cashier: SaleCashier | null | undefined): string {
  if (!cashier) return i18n._(msg`Not recorded (before cashiers)`);
  if (cashier.id === MANAGER_AS_CASHIER.id) return i18n._(msg`Manager`);
  if (cashier.name) return cashier.name;
  if (cashier.id === UNNAMED_CASHIER_ID) return i18n._(msg`Cashier (shared PIN)`);
  const id = cashier.id;
  return i18n._(msg`Former cashier ${id}`);
}

/**
 * The name of the person who charged a sale, for the checkout, the Paid screen and the receipt:
 * a named cashier's; none for the manager, the shared PIN of a shop without named cashiers, or a
 * sale that kept no name.
 */
export function cashierName(cashier: SaleCashier | null | undefined): string | null {
  return cashier?.name && cashier.id !== MANAGER_AS_CASHIER.id ? cashier.name : null;
}
