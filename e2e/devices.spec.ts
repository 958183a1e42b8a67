/**
 * Every screen on the phones and tablets people use: at each size, no two controls overlap, every
 * control is inside the viewport (pages that scroll: inside its width), the store name is visible,
 * keypad keys are at least 48 px (64 px where the screen allows), and a screenshot is saved to
 * test-results/devices/ to look at.
 */
import { expect, test, type Page } from '@playwright/test';
import { deviceSizes, screenshotScreenfuls } from './devices';
import { ports } from './ports';
import { PINS, receiptPath, shortExpiryURL, tap, typeAmount } from './support';

const tipsURL = `http://127.0.0.1:${ports.tips}`;

const sizes = deviceSizes;

interface Box {
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The visible controls of the page (and what a customer must read: amounts, QR codes, the store name). */
async function controls(page: Page): Promise<Box[]> {
  return page.evaluate(() => {
    const selector = 'button, a[href], input, select, textarea, output, [role="img"], [data-testid="store-name"], [data-testid="checkout-amount"]';
    const elements = [...document.querySelectorAll<HTMLElement>(selector)];
    const visible = elements.filter((element) => {
      const style = getComputedStyle(element);
      const rect = element.getBoundingClientRect();
      // Screen-reader-only text is 1 px and clipped; closed dialogs and print-only parts are not shown.
      return style.visibility !== 'hidden' && rect.width > 2 && rect.height > 2 && element.checkVisibility();
    });
    // A control inside another (an icon in a button) is that control.
    const outer = visible.filter((element) => !visible.some((other) => other !== element && other.contains(element)));
    return outer.map((element) => {
      const rect = element.getBoundingClientRect();
      const label = (element.getAttribute('aria-label') ?? element.textContent ?? element.tagName).trim().slice(0, 40);
      return { label: `${element.tagName.toLowerCase()} "${label}"`, x: rect.x, y: rect.y, width: rect.width, height: rect.height };
    });
  });
}

async function checkScreen(page: Page, size: (typeof sizes)[number], screen: string, { scrolls = false } = {}) {
  await page.waitForTimeout(150); // let a layout that depends on fonts and late data settle
  const boxes = await controls(page);
  expect(boxes.length, `${screen}: controls found`).toBeGreaterThan(0);
  const problems: string[] = [];
  for (const box of boxes) {
    const outside = box.x < -0.5 || box.x + box.width > size.width + 0.5 || (!scrolls && (box.y < -0.5 || box.y + box.height > size.height + 0.5));
    if (outside) problems.push(`${box.label} is outside the viewport (${Math.round(box.x)},${Math.round(box.y)} ${Math.round(box.width)}×${Math.round(box.height)})`);
  }
  for (let i = 0; i < boxes.length; i += 1) {
    for (let j = i + 1; j < boxes.length; j += 1) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const overlapX = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const overlapY = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      if (overlapX > 0.5 && overlapY > 0.5) problems.push(`${a.label} overlaps ${b.label}`);
    }
  }
  if (scrolls) await screenshotScreenfuls(page, `test-results/devices/${size.name}-${screen}`);
  else await page.screenshot({ path: `test-results/devices/${size.name}-${screen}.png` });
  expect(problems, `${screen} at ${size.name}`).toEqual([]);
}

async function checkKeys(page: Page, size: (typeof sizes)[number], screen: string) {
  const keypad = page.getByRole('group', { name: 'Keypad' });
  const smallest = size.width >= 390 && size.height >= 800 ? 64 : 48;
  for (const key of await keypad.getByRole('button').all()) {
    const box = (await key.boundingBox())!;
    const name = (await key.getAttribute('aria-label')) ?? (await key.textContent());
    expect(Math.min(box.width, box.height), `${screen} key ${name} at ${size.name}`).toBeGreaterThanOrEqual(smallest);
  }
}

test.describe.configure({ mode: 'parallel' });

for (const size of sizes) {
  test(`every screen fits ${size.name}`, async ({ page }, info) => {
    test.skip(info.project.name !== 'landscape', 'the viewport is set by the test; one project is enough');
    test.setTimeout(120_000);
    await page.setViewportSize({ width: size.width, height: size.height });

    await page.goto(`${tipsURL}/`);
    await expect(page.getByRole('button', { name: 'Unlock' })).toBeVisible();
    await checkScreen(page, size, 'unlock');
    await page.getByLabel('PIN').fill(PINS.manager);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByTestId('amount')).toBeVisible();
    const storeName = page.getByTestId('store-name');
    await expect(storeName).toBeVisible();
    expect((await storeName.boundingBox())!.width, 'the store name keeps some room').toBeGreaterThanOrEqual(60);

    await typeAmount(page, '450');
    await page.getByRole('button', { name: 'Charge' }).click();
    await expect(page.getByRole('heading', { name: 'Add a tip?' })).toBeVisible();
    await checkScreen(page, size, 'tip');
    await page.getByRole('button', { name: /^Custom tip/ }).click();
    await tap(page, '5', '0');
    await checkScreen(page, size, 'tip-custom');
    await checkKeys(page, size, 'tip-custom');
    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await page.getByRole('button', { name: /^10%/ }).click();
    await expect(page.getByRole('img', { name: 'Payment QR code' })).toBeVisible();
    await checkScreen(page, size, 'checkout');

    await page.getByRole('button', { name: 'Simulate payment' }).click();
    await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
    await expect(page.getByRole('img', { name: 'Receipt QR code' })).toBeVisible();
    await checkScreen(page, size, 'paid');
    const receipt = await receiptPath(page);
    await page.getByRole('button', { name: 'New sale' }).click();

    await typeAmount(page, '1234');
    await tap(page, 'Add item');
    await typeAmount(page, '250');
    await page.getByLabel('Memo').fill('2 flat whites and a long memo that goes on');
    await expect(page.getByRole('region', { name: 'Recent sales' }).getByRole('link').first()).toBeVisible();
    await expect(page.getByTestId('rate-note')).toBeVisible();
    await checkScreen(page, size, 'cashier');
    await checkKeys(page, size, 'cashier');

    await page.getByRole('link', { name: 'History' }).click();
    await expect(page.getByTestId('today-total')).not.toHaveText('…');
    await checkScreen(page, size, 'history', { scrolls: true });

    await page.goto(`${tipsURL}${receipt}`);
    await expect(page.getByRole('article', { name: 'Receipt' })).toBeVisible();
    await checkScreen(page, size, 'receipt', { scrolls: true });

    await page.goto(`${shortExpiryURL}/`);
    await page.getByLabel('PIN').fill(PINS.cashier);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByTestId('amount')).toBeVisible();
    await typeAmount(page, '100');
    await page.getByRole('button', { name: 'Charge' }).click();
    await expect(page.getByRole('heading', { name: 'Expired' })).toBeVisible({ timeout: 10_000 });
    await checkScreen(page, size, 'expired');
  });
}
