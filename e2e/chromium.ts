/**
 * Which Chromium the browser tests and the benchmark drive, and how. Debian's Chromium is used
 * where it exists (Playwright cannot download its own browser on every machine); elsewhere
 * Playwright's own (`npx playwright install chromium`).
 */
import { existsSync } from 'node:fs';

const systemChromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumPath: string | undefined = existsSync(systemChromium) ? systemChromium : undefined;

/** Quiet, container-friendly flags: no sandbox (root in CI), no GPU, no background traffic. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const chromiumLaunchOptions = { ...(chromiumPath ? { executablePath: chromiumPath } : {}), args: chromiumArgs };
