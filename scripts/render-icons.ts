/**
 * `npm run icons`: the app's PNG icons, drawn by Chromium from the SVGs in public/ (favicon.svg for
 * the plain icons, scripts/maskable-icon.svg — the bolt inside the maskable safe zone, on a full-bleed
 * background — for the maskable and Apple touch icons), and the manifest's install screenshots,
 * copied from the README's screenshots (e2e/screenshots, `UPDATE_SCREENSHOTS=1`). The outputs are
 * committed: the build needs no image tool.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium';

const icons = [
  { svg: 'public/favicon.svg', png: 'public/icons/icon-192.png', size: 192 },
  { svg: 'public/favicon.svg', png: 'public/icons/icon-512.png', size: 512 },
  { svg: 'scripts/maskable-icon.svg', png: 'public/icons/maskable-512.png', size: 512 },
  { svg: 'scripts/maskable-icon.svg', png: 'public/icons/apple-touch-icon.png', size: 180 },
];

const screenshots = [
  { from: 'e2e/screenshots/cashier-portrait.png', to: 'public/screenshots/keypad-narrow.png' },
  { from: 'e2e/screenshots/checkout-landscape.png', to: 'public/screenshots/checkout-wide.png' },
];

const browser = await chromium.launch(chromiumLaunchOptions);
try {
  const page = await browser.newPage();
  for (const { svg, png, size } of icons) {
    await page.setViewportSize({ width: size, height: size });
    const source = `data:image/svg+xml;base64,${readFileSync(svg).toString('base64')}`;
    await page.setContent(`<body style="margin:0"><img src="${source}" width="${size}" height="${size}" style="display:block">`);
    await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    await page.screenshot({ path: png, omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    process.stdout.write(`${png} (${size}×${size})\n`);
  }
} finally {
  await browser.close();
}
for (const { from, to } of screenshots) {
  copyFileSync(from, to);
  process.stdout.write(`${to}\n`);
}
