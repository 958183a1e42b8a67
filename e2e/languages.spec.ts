/**
 * The POS in each of its languages and in the pseudo-locale (en-XA: English with every letter
 * accented): every screen is walked, and a screen fails when
 * - it shows an English message (visible text or an accessible name) where the language has its
 *   own words, or, in the pseudo-locale, any English word of the catalog in plain ASCII: text that
 *   does not come from a catalog at all;
 * - any text is cut off: an element whose text is wider (or taller) than its box without being
 *   able to scroll, or text outside the viewport's width.
 * German, the longest, is walked at every size of the device matrix; the others at a phone and a
 * tablet. Screenshots go to test-results/languages/ to look at.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import PO from 'pofile';
import pseudolocale from 'pseudolocale';
import { deviceSizes, screenshotScreenfuls, type DeviceSize } from './devices';
import { ports, staffPos } from './ports';
import { PINS, receiptPath, shortExpiryURL, tap, typeAmount } from './support';

const tipsURL = `http://127.0.0.1:${ports.tips}`;
const demoURL = `http://127.0.0.1:${ports.demo}`;
const staffURL = `http://127.0.0.1:${ports.staff}`;

type Locale = 'es' | 'pt-BR' | 'de' | 'fr' | 'en-XA';

function readCatalog(locale: string): PO {
  return PO.parse(readFileSync(`src/client/i18n/locales/${locale}.po`, 'utf8'));
}

const english = readCatalog('en').items.map((item) => item.msgid);

/** English → the language's words, for every message (the pseudo-locale's made as Lingui makes them). */
function translations(locale: Locale): Map<string, string> {
  if (locale === 'en-XA') return new Map(english.map((msgid) => [msgid, pseudolocale(msgid, { prepend: '', append: '' })]));
  return new Map(readCatalog(locale).items.map((item) => [item.msgid, item.msgstr[0] ?? '']));
}

/** Words that stay as they are in every language: names and units. */
const untranslatable = new Set(['btc', 'pin', 'qr', 'csv', 'pdf', 'nfc', 'lnurl', 'lightning', 'bolt', 'card', 'lnbits', 'strike', 'btcpay', 'sats', 'sat', 'utc']);

/** The test stores' own words (playwright.config.ts), shown as the store wrote them. */
const storeTexts = new Set(['Tip Top Café', 'Demo Store', '1 Harbour Street, Springfield', 'Two Hands Bakery']);

/** The catalog's English words (3 letters or more), for the pseudo-locale's check. */
const englishWords = new Set(
  english
    .map((msgid) => msgid.replace(/\{[^{}]*\}/g, ' ').replace(/<\/?\d+>/g, ' '))
    .flatMap((text) => text.match(/[A-Za-z]{3,}/g) ?? [])
    .map((word) => word.toLowerCase())
    .filter((word) => !untranslatable.has(word)),
);

/**
 * The messages a screen must not show in English: those without placeholders whose translation
 * differs from the English (German "Status" is German too).
 */
function englishMessages(locale: Locale): string[] {
  const words = translations(locale);
  return english.filter((msgid) => !/[{}<]/.test(msgid) && words.get(msgid) !== msgid);
}

interface Seen {
  /** Each visible text node's text, with the element it is in. */
  texts: { text: string; where: string }[];
  /** Accessible names given by attribute (aria-label, alt, title, placeholder), and options' text. */
  names: { text: string; where: string }[];
  /** Text that does not fit. */
  cutOff: string[];
}

/** Everything a person sees or hears on the page now, and any text that is cut off. */
async function look(page: Page): Promise<Seen> {
  return page.evaluate(() => {
    const where = (element: Element) => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.getAttribute('data-testid') ? `[${element.getAttribute('data-testid')}]` : ''}`;
    const shown = (element: Element) => element instanceof HTMLElement && element.checkVisibility() && getComputedStyle(element).visibility !== 'hidden';
    const texts: Seen['texts'] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.textContent?.trim() ?? '';
      if (!parent || !text || parent.closest('script, style, [aria-hidden="true"]') || !shown(parent)) continue;
      // Screen-reader-only text is read, not shown: it counts as a name.
      texts.push({ text, where: where(parent) });
    }
    const names: Seen['names'] = [];
    for (const element of document.querySelectorAll('[aria-label], [alt], [title], [placeholder], option')) {
      if (element.tagName !== 'OPTION' && !shown(element)) continue;
      for (const attribute of ['aria-label', 'alt', 'title', 'placeholder']) {
        const value = element.getAttribute(attribute)?.trim();
        if (value) names.push({ text: value, where: `${where(element)} ${attribute}` });
      }
      if (element.tagName === 'OPTION' && element.textContent?.trim()) names.push({ text: element.textContent.trim(), where: 'option' });
    }
    const cutOff: string[] = [];
    const scrolls = (element: Element) => {
      for (let e: Element | null = element; e; e = e.parentElement) {
        const style = getComputedStyle(e);
        if (/auto|scroll/.test(style.overflowX) && e.scrollWidth > e.clientWidth) return true;
      }
      return false;
    };
    for (const control of document.body.querySelectorAll<HTMLElement>('button, a[href], input, select, textarea')) {
      const rect = control.getBoundingClientRect();
      if (shown(control) && (rect.right > window.innerWidth + 1 || rect.left < -1) && !scrolls(control)) {
        cutOff.push(`${where(control)} "${control.getAttribute('aria-label') ?? control.textContent?.trim() ?? ''}" goes past the screen's edge`);
      }
    }
    for (const element of document.body.querySelectorAll<HTMLElement>('*')) {
      // The store's name yields to the controls on the narrowest phones (in English too): it
      // truncates, and its title tells it whole.
      if (!shown(element) || element.closest('[aria-hidden="true"], [data-testid="store-name"]')) continue;
      const ownText = [...element.childNodes].some((child) => child.nodeType === Node.TEXT_NODE && child.textContent?.trim());
      if (!ownText) continue;
      const style = getComputedStyle(element);
      const label = `${where(element)} "${element.textContent?.trim().slice(0, 50) ?? ''}"`;
      // Screen-reader-only text is clipped on purpose.
      if (style.position === 'absolute' && element.clientWidth <= 1) continue;
      if (style.display !== 'inline') {
        if (!/auto|scroll/.test(style.overflowX) && element.scrollWidth > element.clientWidth + 1) cutOff.push(`${label} is wider than its box (${element.scrollWidth} > ${element.clientWidth})`);
        // Glyphs may reach a little past a tight line height; a line cut off is most of a line.
        const halfLine = (Number.parseFloat(style.lineHeight) || Number.parseFloat(style.fontSize) * 1.2) / 2;
        if (/hidden|clip/.test(style.overflowY) && element.scrollHeight > element.clientHeight + halfLine) cutOff.push(`${label} is taller than its box (${element.scrollHeight} > ${element.clientHeight})`);
      }
      const rect = element.getBoundingClientRect();
      if ((rect.right > window.innerWidth + 1 || rect.left < -1) && !scrolls(element)) cutOff.push(`${label} goes past the screen's edge (${Math.round(rect.left)}–${Math.round(rect.right)} of ${window.innerWidth})`);
    }
    return { texts, names, cutOff };
  });
}

async function checkScreen(page: Page, locale: Locale, size: DeviceSize, screen: string): Promise<void> {
  await page.waitForTimeout(150); // let a layout that depends on fonts and late data settle
  const seen = await look(page);
  await screenshotScreenfuls(page, `test-results/languages/${locale}-${size.name}-${screen}`);
  const problems = [...seen.cutOff];
  if (locale === 'en-XA') {
    for (const { text, where } of [...seen.texts, ...seen.names]) {
      const own = [...storeTexts].reduce((rest, store) => rest.replaceAll(store, ' '), text);
      const words = (own.match(/(?<![\p{L}\p{N}])[A-Za-z]{3,}(?![\p{L}\p{N}])/gu) ?? []).filter((word) => englishWords.has(word.toLowerCase()));
      if (words.length > 0) problems.push(`${where} says "${text}" in plain English (${words.join(', ')})`);
    }
  } else {
    const messages = englishMessages(locale);
    const exact = new Set(messages);
    for (const { text, where } of seen.names) if (exact.has(text)) problems.push(`${where} is named in English: "${text}"`);
    for (const { text, where } of seen.texts) if (exact.has(text)) problems.push(`${where} says "${text}" in English`);
    const body = seen.texts.map((t) => t.text).join('\n');
    // A sentence (several words) found inside longer text.
    for (const message of messages) if (message.includes(' ') && message.length >= 12 && body.includes(message)) problems.push(`the screen says "${message}" in English`);
  }
  expect(problems, `${locale}, ${screen} at ${size.name}`).toEqual([]);
}

/** A browser context that speaks `locale`: the browser's language, or (the pseudo-locale) this tablet's choice. */
async function contextIn(browser: Browser, locale: Locale, size: DeviceSize): Promise<BrowserContext> {
  const browserLocale = locale === 'en-XA' ? 'en-US' : locale;
  const context = await browser.newContext({ locale: browserLocale, viewport: { width: size.width, height: size.height } });
  if (locale === 'en-XA') {
    await context.addInitScript(() => {
      if (!localStorage.getItem('pos-settings')) {
        localStorage.setItem('pos-settings', JSON.stringify({ state: { soundOn: true, receiptPaper: '80mm', language: 'en-XA', spoken: 'en-XA' }, version: 1 }));
      }
    });
  }
  return context;
}

async function walk(browser: Browser, locale: Locale, size: DeviceSize): Promise<void> {
  const words = translations(locale);
  const say = (message: string) => {
    const translated = words.get(message);
    if (!translated) throw new Error(`no ${locale} words for "${message}"`);
    return translated;
  };
  const context = await contextIn(browser, locale, size);
  const page = await context.newPage();
  try {
    await page.goto(`${tipsURL}/`);
    await expect(page.locator('html')).toHaveAttribute('lang', locale);
    await expect(page.getByRole('button', { name: say('Unlock') })).toBeVisible();
    await checkScreen(page, locale, size, 'unlock');
    await page.getByLabel(say('PIN'), { exact: true }).fill(PINS.manager);
    await page.getByRole('button', { name: say('Unlock') }).click();
    await expect(page.getByTestId('amount')).toBeVisible();

    await typeAmount(page, '123456');
    await page.getByRole('button', { name: say('Charge') }).click();
    await expect(page.getByRole('heading', { name: say('Add a tip?') })).toBeVisible();
    await checkScreen(page, locale, size, 'tip');
    await page.getByRole('button', { name: new RegExp(`^${say('Custom tip')}`) }).click();
    await tap(page, '5', '0');
    await checkScreen(page, locale, size, 'tip-custom');
    await page.getByRole('button', { name: say('Back'), exact: true }).click();
    await page.getByRole('button', { name: /^10\s?%/ }).click();
    await expect(page.getByRole('img', { name: say('Payment QR code') })).toBeVisible();
    await checkScreen(page, locale, size, 'checkout');

    await page.getByRole('button', { name: say('Simulate payment') }).click();
    await expect(page.getByRole('heading', { name: say('Paid') })).toBeVisible();
    await expect(page.getByRole('img', { name: say('Receipt QR code') })).toBeVisible();
    await checkScreen(page, locale, size, 'paid');
    const receipt = await receiptPath(page);
    await page.getByRole('button', { name: say('New sale') }).click();

    await typeAmount(page, '1234');
    await tap(page, say('Add item'));
    await typeAmount(page, '250');
    await page.getByLabel(new RegExp(`^${say('Memo')}`)).fill('2 x 3');
    await expect(page.getByRole('region', { name: say('Recent sales') }).getByRole('link').first()).toBeVisible();
    await expect(page.getByTestId('rate-note')).toBeVisible();
    await checkScreen(page, locale, size, 'cashier');
    await page.context().setOffline(true);
    await expect(page.getByText(say('Offline. The sale is kept; payment status is checked again as soon as the connection is back.'))).toBeVisible();
    await checkScreen(page, locale, size, 'cashier-offline');
    await page.context().setOffline(false);

    await page.getByRole('button', { name: say('Charge') }).click();
    await page.getByRole('button', { name: say('No tip') }).click();
    await expect(page.getByRole('img', { name: say('Payment QR code') })).toBeVisible();
    // Cancelled from another tablet: this one shows it.
    await page.evaluate(async () => {
      const stored = JSON.parse(localStorage.getItem('pos-session') ?? '{}') as { state?: { session?: { token?: string } } };
      await fetch(`/api/invoices/${location.pathname.split('/').pop() ?? ''}/cancel`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${stored.state?.session?.token ?? ''}` },
      });
    });
    await expect(page.getByRole('heading', { name: say('Cancelled') })).toBeVisible({ timeout: 10_000 });
    await checkScreen(page, locale, size, 'cancelled');
    await page.getByRole('button', { name: say('Back to keypad') }).click();

    await page.getByRole('link', { name: say('History') }).click();
    await expect(page.getByTestId('today-total')).not.toHaveText('…');
    await expect(page.getByRole('region', { name: say('Payments') }).getByRole('row').nth(1)).toBeVisible();
    await checkScreen(page, locale, size, 'history');
    await page.getByRole('button', { name: say('By month') }).click();
    await page.getByRole('region', { name: say('Payments') }).getByRole('row').nth(1).getByRole('button').click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: say('Check again') }).click();
    await expect(dialog.getByRole('status')).toContainText(/\d/);
    await checkScreen(page, locale, size, 'invoice-dialog');
    await dialog.getByRole('button', { name: say('Close') }).click();
    const devices = page.getByRole('region', { name: say('Devices') });
    await devices.getByRole('button', { name: say('Make a pairing code') }).click();
    await expect(devices.getByRole('img', { name: say('Pairing QR code') })).toBeVisible();
    await checkScreen(page, locale, size, 'devices');

    // A shop with named cashiers: who charged the sale, a cashier's own shift, the cash-up by cashier.
    await page.goto(`${staffURL}/`);
    await page.getByLabel(say('PIN'), { exact: true }).fill(staffPos.cashiers.chloe.pin);
    await page.getByRole('button', { name: say('Unlock') }).click();
    await expect(page.getByTestId('amount')).toBeVisible();
    await typeAmount(page, '4321');
    await page.getByRole('button', { name: say('Charge') }).click();
    await page.getByRole('button', { name: say('No tip') }).click();
    await expect(page.getByTestId('charged-by')).toBeVisible();
    await checkScreen(page, locale, size, 'checkout-cashier');
    await page.getByRole('button', { name: say('Simulate payment') }).click();
    await expect(page.getByTestId('paid-cashier')).toBeVisible();
    await checkScreen(page, locale, size, 'paid-cashier');
    await page.getByRole('button', { name: say('New sale') }).click();
    await page.locator('a[href="/shift"]').click();
    await expect(page.getByTestId('shift-total')).toBeVisible();
    await expect(page.getByRole('table').getByRole('row').nth(1)).toBeVisible();
    await checkScreen(page, locale, size, 'shift');
    await page.getByRole('button', { name: say('Lock') }).click();
    await page.getByLabel(say('PIN'), { exact: true }).fill(staffPos.managerPin);
    await page.getByRole('button', { name: say('Unlock') }).click();
    await page.getByRole('link', { name: say('History') }).click();
    await expect(page.getByTestId('cashup-cashiers')).toBeVisible();
    await page.getByTestId('cashup-cashiers').scrollIntoViewIfNeeded();
    await checkScreen(page, locale, size, 'history-cashiers');

    await page.goto(`${tipsURL}${receipt}`);
    await expect(page.getByRole('article', { name: say('Receipt') })).toBeVisible();
    await checkScreen(page, locale, size, 'receipt');
    await page.emulateMedia({ media: 'print' });
    await checkScreen(page, locale, size, 'receipt-print');
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${tipsURL}/r/not-a-receipt-token-at-all`);
    await expect(page.getByRole('alert')).toBeVisible();
    await checkScreen(page, locale, size, 'receipt-missing');

    await page.goto(`${shortExpiryURL}/`);
    await page.getByLabel(say('PIN'), { exact: true }).fill(PINS.cashier);
    await page.getByRole('button', { name: say('Unlock') }).click();
    await expect(page.getByTestId('amount')).toBeVisible();
    await typeAmount(page, '100');
    await page.getByRole('button', { name: say('Charge') }).click();
    await expect(page.getByRole('heading', { name: say('Expired') })).toBeVisible({ timeout: 10_000 });
    await checkScreen(page, locale, size, 'expired');

    // A POS on a real provider: a new browser pairs first.
    await page.goto(`http://127.0.0.1:${ports.lnbitsPos}/`);
    await expect(page.getByRole('heading', { name: say('Pair this tablet') })).toBeVisible();
    await checkScreen(page, locale, size, 'pairing');
  } finally {
    await context.close();
  }
}

test.describe.configure({ mode: 'parallel' });

const walks: { locale: Locale; sizes: readonly DeviceSize[] }[] = [
  { locale: 'de', sizes: deviceSizes },
  ...(['es', 'pt-BR', 'fr', 'en-XA'] as const).map((locale) => ({
    locale,
    sizes: deviceSizes.filter((size) => size.name === 'phone-360x640' || size.name === 'tablet-1024x768'),
  })),
];

for (const { locale, sizes } of walks) {
  for (const size of sizes) {
    test(`${locale}: every screen in ${locale}, nothing cut off at ${size.name}`, async ({ browser }, info) => {
      test.skip(info.project.name !== 'landscape', 'the viewport is set by the test; one project is enough');
      test.setTimeout(150_000);
      await walk(browser, locale, size);
    });
  }
}

test('a cashier picks the language on the unlock screen; the tablet keeps it', async ({ page }, info) => {
  test.skip(info.project.name !== 'landscape', 'one project is enough');
  await page.goto(`${demoURL}/`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByLabel('Language').selectOption({ label: 'Deutsch' });
  await expect(page.getByRole('button', { name: 'Öffnen' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await page.reload();
  await expect(page.getByRole('button', { name: 'Öffnen' })).toBeVisible();
  await page.getByLabel('PIN', { exact: true }).fill(PINS.cashier);
  await page.getByRole('button', { name: 'Öffnen' }).click();
  await typeAmount(page, '123456');
  // Money in German: a comma for decimals, a dot between thousands.
  await expect(page.getByTestId('amount')).toHaveText(/1\.234,56/);
  await page.getByRole('button', { name: 'Sperren' }).click();
  await page.getByLabel('Sprache').selectOption({ label: 'English' });
  await expect(page.getByRole('button', { name: 'Unlock' })).toBeVisible();
});
