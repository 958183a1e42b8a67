/**
 * The shop's cashiers (`POS_CASHIERS`): each has a name and a PIN of their own, and every sale
 * carries the cashier who charged it (docs/api.md "Staff").
 *
 * `POS_CASHIERS` is `Name:PIN` pairs separated by commas: `Alice:2468,Bob:1357`. A cashier's id is
 * made from the name alone (8 hex digits of its SHA-256, case and spacing ignored), so it is the
 * same on every start and every instance, survives a change of PIN, and is short enough for the
 * 40 characters Strike leaves the POS. The single `POS_CASHIER_PIN` of earlier releases is one
 * cashier without a name.
 */
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { CASHIER_NAME_MAX_LENGTH, MANAGER_AS_CASHIER, UNNAMED_CASHIER_ID, type SaleCashier } from '../contract/api';

export interface Cashier extends SaleCashier {
  pin: string;
}

/** At most this many cashiers: the unlock check compares a PIN against every one of them. */
export const MAX_CASHIERS = 50;

/** Letters (any script), digits, spaces and . ' -: shown as it is on screens, receipts and CSV files. */
const SAFE_NAME = /^[\p{L}\p{N}][\p{L}\p{M}\p{N} .'-]*$/u;
const PIN = /^\d{4,12}$/;

/** The id of the cashier of that name: stable across starts, instances and PIN changes. */
export function cashierIdOf(name: string): string {
  const key = name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  return bytesToHex(sha256(utf8ToBytes(`cashier:${key}`))).slice(0, 8);
}

/**
 * The cashier a sale keeps by id, named as on today's staff list: the manager; a cashier on the
 * list; one who is no longer on it (an empty name: the sale kept no name); or null for a sale made
 * before the POS recorded cashiers.
 */
export function saleCashierOf(id: string | null, staff: readonly SaleCashier[]): SaleCashier | null {
  if (id === null) return null;
  if (id === MANAGER_AS_CASHIER.id) return MANAGER_AS_CASHIER;
  return { id, name: staff.find((member) => member.id === id)?.name ?? '' };
}

/** The one cashier of a deployment configured with `POS_CASHIER_PIN` alone: no name. */
export function unnamedCashier(pin: string): Cashier {
  return { id: UNNAMED_CASHIER_ID, name: '', pin };
}

/**
 * Parses `POS_CASHIERS`. Returns the cashiers, or one sentence per problem (without the PINs,
 * which are never printed). `managerPin` is refused as a cashier's PIN.
 */
export function parseCashiers(value: string, managerPin: string): { cashiers: Cashier[] } | { problems: string[] } {
  const problems: string[] = [];
  const cashiers: Cashier[] = [];
  const entries = value.split(',').map((entry) => entry.trim());
  if (entries.length > MAX_CASHIERS) return { problems: [`lists ${entries.length} cashiers; at most ${MAX_CASHIERS} are supported`] };
  entries.forEach((entry, index) => {
    const where = `cashier ${index + 1}`;
    const colon = entry.lastIndexOf(':');
    if (entry === '' || colon < 0) {
      problems.push(`${where} must be written Name:PIN (cashiers are separated by commas, as in Alice:2468,Bob:1357)`);
      return;
    }
    const name = entry.slice(0, colon).trim().replace(/\s+/g, ' ');
    const pin = entry.slice(colon + 1).trim();
    const label = name === '' ? where : `${where} (${name})`;
    if (name === '') problems.push(`${where} has no name before the colon`);
    else if (name.length > CASHIER_NAME_MAX_LENGTH) problems.push(`${label}: the name must be at most ${CASHIER_NAME_MAX_LENGTH} characters`);
    else if (!SAFE_NAME.test(name)) {
      problems.push(`${label}: the name may hold only letters, digits, spaces and . ' - (and must begin with a letter or digit)`);
    }
    if (!PIN.test(pin)) problems.push(`${label}: the PIN must be 4 to 12 digits`);
    else if (pin === managerPin) problems.push(`${label}: the PIN is the manager's (POS_MANAGER_PIN); every PIN must be different`);
    cashiers.push({ id: cashierIdOf(name), name, pin });
  });
  for (let i = 0; i < cashiers.length; i++) {
    for (let j = 0; j < i; j++) {
      const [a, b] = [cashiers[j]!, cashiers[i]!];
      if (a.name === '' || b.name === '') continue;
      if (a.name.toLowerCase() === b.name.toLowerCase()) {
        problems.push(`cashiers ${j + 1} and ${i + 1} are both named ${b.name}; every cashier needs a name of their own`);
      } else if (a.id === b.id) {
        problems.push(`cashiers ${j + 1} and ${i + 1} (${a.name}, ${b.name}) differ only in spacing; give one another name`);
      } else if (PIN.test(a.pin) && a.pin === b.pin) {
        problems.push(`cashiers ${j + 1} and ${i + 1} (${a.name}, ${b.name}) have the same PIN; every cashier needs a PIN of their own`);
      }
    }
  }
  return problems.length > 0 ? { problems } : { cashiers };
}
