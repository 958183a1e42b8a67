import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { ports } from './e2e/ports';

/**
 * Browser tests drive a real Chromium like a cashier would, against the built app on loopback.
 * Debian's Chromium is used where it exists (Playwright cannot download its own browser on every
 * machine); elsewhere Playwright's own browser (`npx playwright install chromium`).
 */
const systemChromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const executablePath = existsSync(systemChromium) ? systemChromium : undefined;


const server = (port: number, env: Record<string, string> = {}) => ({
  command: 'node dist/server/node.js',
  url: `http://127.0.0.1:${port}/api/health`,
  env: { PORT: String(port), HOST: '127.0.0.1', ...env },
  reuseExistingServer: false,
  stdout: 'ignore' as const,
  stderr: 'pipe' as const,
  timeout: 30_000,
});

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 30_000,
  expect: { timeout: 7_000 },
  // Playwright empties outputDir at start: keep it apart from the JSON reports CI counts.
  outputDir: 'test-results/artifacts',
  reporter: process.env.CI ? [['list'], ['json', { outputFile: 'test-results/playwright.json' }]] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${ports.demo}`,
    locale: 'en-US',
    timezoneId: 'UTC',
    hasTouch: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'landscape', use: { viewport: { width: 1024, height: 768 } } },
    { name: 'portrait', use: { viewport: { width: 768, height: 1024 } } },
  ],
  webServer: [server(ports.demo), server(ports.shortExpiry, { DEMO_INVOICE_EXPIRY: '4' })],
});
