import { describe, expect, it } from 'vitest';
import { MANAGER_AS_CASHIER, UNNAMED_CASHIER_ID } from '../../contract/api';
import { speak } from '../test/i18n';
import { cashierLabel, cashierName } from './cashier';

describe('cashierLabel', () => {
  it('names the cashier, the manager, the shared PIN, a former cashier, or a sale from before cashiers', () => {
    expect(cashierLabel({ id: '0a1b2c3d', name: 'Alice' })).toBe('Alice');
    expect(cashierLabel(MANAGER_AS_CASHIER)).toBe('Manager');
    expect(cashierLabel({ id: UNNAMED_CASHIER_ID, name: '' })).toBe('Cashier (shared PIN)');
    expect(cashierLabel({ id: '0a1b2c3d', name: '' })).toBe('Former cashier 0a1b2c3d');
    expect(cashierLabel(null)).toBe('Not recorded (before cashiers)');
    expect(cashierLabel(undefined)).toBe('Not recorded (before cashiers)');
  });

  it('names who served a sale only when a named cashier charged it', () => {
    expect(cashierName({ id: '0a1b2c3d', name: 'Alice' })).toBe('Alice');
    expect(cashierName(MANAGER_AS_CASHIER)).toBeNull();
    expect(cashierName({ id: UNNAMED_CASHIER_ID, name: '' })).toBeNull();
    expect(cashierName(null)).toBeNull();
  });

  it("says what is not a person's name in the POS's language", async () => {
    await speak('es');
    expect(cashierLabel({ id: '0a1b2c3d', name: 'Alice' })).toBe('Alice');
    expect(cashierLabel(MANAGER_AS_CASHIER)).toBe('Encargado');
    expect(cashierLabel({ id: '0a1b2c3d', name: '' })).toBe('Antiguo cajero 0a1b2c3d');
    expect(cashierLabel(null)).toBe('Sin registrar (ventas anteriores)');
  });
});
