import type { Page } from '@playwright/test';

/** The phones and tablets the browser tests lay every screen out on (e2e/devices.spec.ts, e2e/languages.spec.ts). */
export const deviceSizes = [
  { name: 'phone-360x640', width: 360, height: 640 },
  { name: 'phone-390x844', width: 390, height: 844 },
  { name: 'phone-412x915', width: 412, height: 915 },
  { name: 'tablet-768x1024', width: 768, height: 1024 },
  { name: 'tablet-1024x768', width: 1024, height: 768 },
  { name: 'tablet-800x1280', width: 800, height: 1280 },
  { name: 'tablet-1280x800', width: 1280, height: 800 },
] as const;

export type DeviceSize = (typeof deviceSizes)[number];

/** A page that scrolls inside its main element: one screenshot per screenful, top to bottom (`<path>-1.png`, …). */
export async function screenshotScreenfuls(page: Page, path: string): Promise<void> {
  for (let part = 1; part <= 6; part += 1) {
    await page.screenshot({ path: `${path}-${part}.png` });
    const more = await page.evaluate(() => {
      const scroller = [...document.querySelectorAll('main')].find((m) => m.scrollHeight > m.clientHeight + 1) ?? document.scrollingElement;
      if (!scroller || scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1) return false;
      scroller.scrollTop += scroller.clientHeight - 40;
      return true;
    });
    if (!more) break;
  }
}
