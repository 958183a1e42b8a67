import { describe, expect, it } from 'vitest';
import { UNNAMED_CASHIER_ID } from '../../contract/api';
import { cashierLabel } from './cashier';

describe('cashierLabel', () => {
  it('names the cashier, the shared PIN, a former cashier, or a sale from before cashiers', () => {
    expect(cashierLabel({ id: '0a1b2c3d', name: 'Alice' })).toBe('Alice');
    expect(cashierLabel({ id: UNNAMED_CASHIER_ID, name: '' })).toBe('Cashier (shared PIN)');
    expect(cashierLabel({ id: '0a1b2c3d', name: '' })).toBe('Former cashier 0a1b2c3d');
    expect(cashierLabel(null)).toBe('Not recorded (before cashiers)');
    expect(cashierLabel(undefined)).toBe('Not recorded (before cashiers)');
  });
});
