/** What the browser tests share: unlocking, typing on the keypad, reading the QR back. */
import { expect, type Page, type Response } from '@playwright/test';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { ports, realPos } from './ports';

export const shortExpiryURL = `http://127.0.0.1:${ports.shortExpiry}`;

export const PINS = { cashier: '1234', manager: '9999' } as const;

/** The demo's PINs, or those the POS instances on a real provider are configured with. */
export async function pinsOf(page: Page, base = ''): Promise<Record<keyof typeof PINS, string>> {
  const config = (await (await page.request.get(`${base}/api/config`)).json()) as { demo: boolean };
  return config.demo ? PINS : realPos.pins;
}

/**
 * Unlocks as `role` on the POS at `base` (the demo by default). A POS on a real provider first
 * shows a new browser its pairing screen: the tablet is paired with the set-up code, as a shop
 * does once per tablet, and then unlocked with that POS's PINs.
 */
export async function unlock(page: Page, role: keyof typeof PINS = 'cashier', base = ''): Promise<void> {
  await page.goto(`${base}/`);
  const pin = page.getByLabel('PIN');
  const pairingCode = page.getByLabel('Pairing code');
  await expect(pin.or(pairingCode)).toBeVisible();
  if (await pairingCode.isVisible()) {
    await pairingCode.fill(realPos.setupCode);
    await page.getByRole('button', { name: 'Pair this tablet' }).click();
  }
  await pin.fill((await pinsOf(page, base))[role]);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByTestId('amount')).toBeVisible();
}

/** Taps keys by their accessible names ("1", "Backspace", "Clear", "+ Add item"). */
export async function tap(page: Page, ...keys: string[]): Promise<void> {
  for (const key of keys) await page.getByRole('button', { name: key, exact: true }).click();
}

export async function typeAmount(page: Page, digits: string): Promise<void> {
  await tap(page, ...digits.split(''));
}

export interface InvoiceJson {
  id: string;
  status: string;
  paymentRequest: string;
  amount: number;
  tip: number;
  currency: string;
  amountSats: number;
  memo: string;
  expiresAt: string;
}

export function isCreate(response: Response): boolean {
  return response.url().endsWith('/api/invoices') && response.request().method() === 'POST';
}

/** Taps Charge (or another button that charges) and returns the invoice, once the QR is on screen. */
export async function charge(page: Page, button = 'Charge'): Promise<InvoiceJson> {
  const created = page.waitForResponse(isCreate);
  await page.getByRole('button', { name: button }).click();
  const invoice = (await (await created).json()) as InvoiceJson;
  await expect(page.getByRole('img', { name: 'Payment QR code' })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/checkout/${invoice.id}$`));
  return invoice;
}

/** Decodes the QR code as a phone camera would: from pixels on the screen. */
export async function scanQr(page: Page): Promise<string> {
  const png = PNG.sync.read(await page.getByRole('img', { name: 'Payment QR code' }).screenshot());
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!code) throw new Error('no QR code found in the screenshot');
  return code.data;
}

/** The proxy's own answer for an invoice, with the page's session token. */
export async function readInvoice(page: Page, id: string): Promise<InvoiceJson> {
  return page.evaluate(async (invoiceId) => {
    const stored = JSON.parse(localStorage.getItem('pos-session') ?? '{}') as { state?: { session?: { token?: string } } };
    const response = await fetch(`/api/invoices/${invoiceId}`, {
      headers: { Authorization: `Bearer ${stored.state?.session?.token ?? ''}` },
    });
    return (await response.json()) as InvoiceJson;
  }, id);
}

/** The receipt link of the paid invoice this page's checkout shows, as the Paid screen's QR holds it. */
export async function receiptPath(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const stored = JSON.parse(localStorage.getItem('pos-session') ?? '{}') as { state?: { session?: { token?: string } } };
    const response = await fetch('/api/receipts', {
      method: 'POST',
      headers: { Authorization: `Bearer ${stored.state?.session?.token ?? ''}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ invoiceId: location.pathname.split('/').pop() }),
    });
    return ((await response.json()) as { path: string }).path;
  });
}
