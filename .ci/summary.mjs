// Prints "N passed, N failed, N skipped" over every suite's JSON report (vitest, Playwright).
import { existsSync, readFileSync } from 'node:fs';

const read = (path) => (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null);
let passed = 0;
let failed = 0;
let skipped = 0;

const vitest = read('test-results/vitest.json');
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  skipped += vitest.numPendingTests + vitest.numTodoTests;
  // A file that failed to load has no tests to count, but it failed.
  failed += vitest.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
}

const playwright = read('test-results/playwright.json');
if (playwright) {
  passed += playwright.stats.expected;
  failed += playwright.stats.unexpected + playwright.stats.flaky;
  skipped += playwright.stats.skipped;
  failed += (playwright.errors ?? []).length;
}

if (!vitest && !playwright) failed += 1;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
