/**
 * axe-core's WCAG 2.1 A/AA rules (contrast included) on every screen a cashier or customer sees.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { charge, shortExpiryURL, typeAmount, unlock } from './support';

async function violations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('unlock, keypad, checkout and paid pass WCAG 2.1 AA checks', async ({ page }) => {
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
