/**
 * Pairing and the manager's device controls in a real Chromium, on a POS backed by (fake) LNbits:
 * a new browser lands on the pairing screen, a manager pairs another tablet with a one-time code
 * or its QR link, un-pairs it, and signs out every device; Lock ends the session on the server.
 * With UPDATE_SCREENSHOTS=1 the screens are written to e2e/screenshots/.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { ports, realPos } from './ports';
import { unlock } from './support';

const pairingPos = `http://127.0.0.1:${ports.pairingPos}`;
const signOutPos = `http://127.0.0.1:${ports.signOutPos}`;

const save = (name: string) => (process.env.UPDATE_SCREENSHOTS ? { path: `e2e/screenshots/${name}.png` } : {});

async function openDevices(page: Page) {
  await page.getByRole('link', { name: 'History' }).click();
  const devices = page.getByRole('region', { name: 'Devices' });
  await devices.scrollIntoViewIfNeeded();
  await expect(devices.getByRole('list', { name: 'Paired tablets' })).toBeVisible();
  return devices;
}

/** Another tablet: a browser of its own, with its own storage. */
async function newTablet(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true, locale: 'en-US', timezoneId: 'UTC' });
  return context.newPage();
}

test('a first visit outside the demo lands on pairing; a wrong code is refused; the set-up code pairs and a PIN unlocks', async ({ page }, info) => {
  await page.goto(`${pairingPos}/history`);
  await expect(page).toHaveURL(/\/pair\?next=%2Fhistory$/);
  await expect(page.getByRole('heading', { name: 'Pair this tablet' })).toBeVisible();
  // No PIN pad before pairing.
  await expect(page.getByLabel('PIN')).toHaveCount(0);
  await page.screenshot(save(`pairing-${info.project.name}`));

  await page.getByLabel('Pairing code').fill('ABCDE-FGHJK');
  await page.getByRole('button', { name: 'Pair this tablet' }).click();
  await expect(page.getByRole('alert')).toContainText('That code is not valid');

  await page.getByLabel('Pairing code').fill(realPos.setupCode);
  await page.getByLabel('Name this tablet').fill(`Counter ${info.project.name}`);
  await page.getByRole('button', { name: 'Pair this tablet' }).click();
  await expect(page).toHaveURL(/\/unlock\?next=%2Fhistory$/);
  await page.getByLabel('PIN').fill(realPos.pins.manager);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('heading', { name: 'History', level: 1 })).toBeVisible();
  // Paired for good: Lock returns to the PIN, not to pairing.
  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByLabel('PIN')).toBeVisible();
});

test('Lock ends the session on the proxy, not only on the tablet', async ({ page, request }) => {
  await unlock(page);
  const token = await page.evaluate(() => (JSON.parse(localStorage.getItem('pos-session') ?? '{}') as { state: { session: { token: string } } }).state.session.token);
  const auth = { Authorization: `Bearer ${token}` };
  expect((await request.get('/api/rate', { headers: auth })).status()).toBe(200);
  const ended = page.waitForResponse((r) => r.url().endsWith('/api/session') && r.request().method() === 'DELETE');
  await page.getByRole('button', { name: 'Lock' }).click();
  expect((await ended).status()).toBe(204);
  expect((await request.get('/api/rate', { headers: auth })).status()).toBe(401);
});

test('a manager pairs a second tablet with a one-time code and its QR link, sees it, and un-pairs it', async ({ page, browser }, info) => {
  await unlock(page, 'manager', pairingPos);
  const devices = await openDevices(page);
  await expect(devices.getByText('This tablet')).toBeVisible();
  await devices.getByRole('button', { name: 'Make a pairing code' }).click();
  await expect(devices.getByRole('img', { name: 'Pairing QR code' })).toBeVisible();
  const code = (await devices.getByTestId('pairing-code').textContent())!;
  expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  await expect(devices.getByText(/For one tablet, for 1[45]:\d\d more/)).toBeVisible();
  await devices.screenshot(save(`devices-code-${info.project.name}`));

  // The new tablet opens the QR's link: the code is filled in, one tap pairs it.
  const patio = await newTablet(browser);
  const name = `Patio ${info.project.name} ${Date.now()}`;
  await patio.goto(`${pairingPos}/pair#${code}`);
  await expect(patio.getByLabel('Pairing code')).toHaveValue(code);
  await patio.getByLabel('Name this tablet').fill(name);
  await patio.getByRole('button', { name: 'Pair this tablet' }).click();
  await patio.getByLabel('PIN').fill(realPos.pins.cashier);
  await patio.getByRole('button', { name: 'Unlock' }).click();
  await expect(patio.getByTestId('amount')).toBeVisible();

  await devices.getByRole('button', { name: 'Done' }).click();
  await page.reload();
  const list = (await openDevices(page)).getByRole('list', { name: 'Paired tablets' });
  await expect(list.getByText(name, { exact: true })).toBeVisible();
  await list.getByRole('button', { name: `Un-pair ${name}` }).click();
  await list.getByRole('button', { name: `Un-pair ${name} now` }).click();
  await expect(list.getByText(name, { exact: true })).toHaveCount(0);

  // The stolen tablet's session is over, and unlocking it again finds it un-paired.
  await patio.reload();
  await expect(patio.getByLabel('PIN')).toBeVisible();
  await patio.getByLabel('PIN').fill(realPos.pins.cashier);
  await patio.getByRole('button', { name: 'Unlock' }).click();
  await expect(patio.getByRole('heading', { name: 'Pair this tablet' })).toBeVisible();
  await expect(patio.getByText('This tablet is no longer paired')).toBeVisible();
  await patio.context().close();
});

test('a manager signs out every device: every tablet, theirs too, unlocks again', async ({ page, browser }, info) => {
  // It ends every session on its POS: one run at a time, on a POS of its own.
  test.skip(info.project.name !== 'landscape', 'signs out everyone on its POS');
  await unlock(page, 'manager', signOutPos);
  const counter = await newTablet(browser);
  await unlock(counter, 'cashier', signOutPos);

  const devices = await openDevices(page);
  await devices.getByRole('button', { name: 'Sign out every device' }).click();
  await devices.getByRole('button', { name: 'Sign out every device now' }).click();
  await expect(page.getByLabel('PIN')).toBeVisible();

  await counter.reload();
  await expect(counter.getByLabel('PIN')).toBeVisible();
  await counter.getByLabel('PIN').fill(realPos.pins.cashier);
  await counter.getByRole('button', { name: 'Unlock' }).click();
  await expect(counter.getByTestId('amount')).toBeVisible();
  await counter.context().close();
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('pairing, and the devices panel with a pairing code', async ({ page }, info) => {
    test.skip(info.project.name !== 'portrait', 'one phone run is enough');
    await page.goto(`${pairingPos}/`);
    await expect(page.getByRole('heading', { name: 'Pair this tablet' })).toBeVisible();
    await page.screenshot(save('pairing-phone'));
    await unlock(page, 'manager', pairingPos);
    const devices = await openDevices(page);
    await devices.getByRole('list', { name: 'Paired tablets' }).scrollIntoViewIfNeeded();
    await page.screenshot(save('devices-phone'));
    await devices.getByRole('button', { name: 'Make a pairing code' }).click();
    await devices.getByTestId('pairing-code').scrollIntoViewIfNeeded();
    await expect(devices.getByRole('img', { name: 'Pairing QR code' })).toBeVisible();
    await page.screenshot(save('devices-code-phone'));
  });
});
