/**
 * axe-core's WCAG 2.1 A/AA rules (contrast included) on every screen a cashier or customer sees.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { ports } from './ports';
import { charge, receiptPath, shortExpiryURL, typeAmount, unlock } from './support';

/** Violations on the page, or only inside `within` (a CSS selector). */
async function violations(page: Page, within?: string) {
  const builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  const results = await (within ? builder.include(within) : builder).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('unlock, keypad, checkout and paid pass WCAG 2.1 AA checks', async ({ page }) => {
  // Four full axe scans of four screens: more than one screen's worth of the default 30 s.
  test.setTimeout(60_000);
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Unlock' })).toBeVisible();
  expect(await violations(page)).toEqual([]);

  await unlock(page);
  await typeAmount(page, '1234');
  expect(await violations(page)).toEqual([]);

  await charge(page);
  expect(await violations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Simulate payment' }).click();
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('the expired screen passes WCAG 2.1 AA checks', async ({ page }) => {
  await unlock(page, 'cashier', shortExpiryURL);
  await typeAmount(page, '100');
  await charge(page);
  await expect(page.getByRole('heading', { name: 'Expired' })).toBeVisible({ timeout: 8000 });
  expect(await violations(page)).toEqual([]);
});

test('a wrong PIN message passes WCAG 2.1 AA checks', async ({ page }) => {
  await page.goto(`${shortExpiryURL}/`);
  await page.getByLabel('PIN').fill('0001');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

const pairingPos = `http://127.0.0.1:${ports.pairingPos}`;

test('the pairing screen, with a refused code, passes WCAG 2.1 AA checks', async ({ page }) => {
  await page.goto(`${pairingPos}/`);
  await page.getByLabel('Pairing code').fill('WRONG-CODE0');
  await page.getByRole('button', { name: 'Pair this tablet' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('the manager’s devices panel, with a pairing code and a confirmation, passes WCAG 2.1 AA checks', async ({ page }) => {
  const panel = 'section[aria-labelledby="devices-heading"]';
  await unlock(page, 'manager', pairingPos);
  await page.getByRole('link', { name: 'History' }).click();
  const devices = page.getByRole('region', { name: 'Devices' });
  await devices.getByRole('button', { name: 'Make a pairing code' }).click();
  await expect(devices.getByRole('img', { name: 'Pairing QR code' })).toBeVisible();
  await devices.getByRole('button', { name: 'Done' }).click();
  // The confirmation, not the sign-out itself: other tests use this POS.
  await devices.getByRole('button', { name: 'Sign out every device' }).click();
  await expect(devices.getByRole('button', { name: 'Sign out every device now' })).toBeVisible();
  expect(await violations(page, panel)).toEqual([]);
  await devices.getByRole('button', { name: 'Keep them signed in' }).click();
  await devices.getByRole('button', { name: 'Make a pairing code' }).click();
  await expect(devices.getByRole('img', { name: 'Pairing QR code' })).toBeVisible();
  expect(await violations(page, panel)).toEqual([]);
});

const tips = `http://127.0.0.1:${ports.tips}`;

test('the tip screen and its custom tip pass WCAG 2.1 AA checks', async ({ page }) => {
  await unlock(page, 'cashier', tips);
  await typeAmount(page, '1234');
  await page.getByRole('button', { name: 'Charge' }).click();
  await expect(page.getByRole('heading', { name: 'Add a tip?' })).toBeVisible();
  expect(await violations(page)).toEqual([]);
  await page.getByRole('button', { name: /^Custom tip/ }).click();
  await expect(page.getByRole('button', { name: 'Add tip' })).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('the Paid screen with its receipt, and the customer’s receipt page, pass WCAG 2.1 AA checks', async ({ page, browser }) => {
  await unlock(page, 'cashier', tips);
  await typeAmount(page, '1234');
  await page.getByRole('button', { name: 'Charge' }).click();
  await charge(page, '15%');
  await page.getByRole('button', { name: 'Simulate payment' }).click();
  await expect(page.getByRole('img', { name: 'Receipt QR code' })).toBeVisible();
  expect(await violations(page)).toEqual([]);

  const path = await receiptPath(page);
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const customer = await phone.newPage();
  await customer.goto(`${tips}${path}`);
  await expect(customer.getByRole('article', { name: 'Receipt' })).toBeVisible();
  expect(await violations(customer)).toEqual([]);
  await phone.close();
});

test('the late-payment warning before a new invoice passes WCAG 2.1 AA checks', async ({ page }) => {
  await unlock(page, 'cashier', shortExpiryURL);
  await typeAmount(page, '100');
  await charge(page);
  await expect(page.getByRole('heading', { name: 'Expired' })).toBeVisible({ timeout: 8000 });
  await page.getByRole('button', { name: 'New invoice' }).click();
  await expect(page.getByRole('dialog', { name: 'The customer may already have paid' })).toBeVisible();
  expect(await violations(page)).toEqual([]);
});
