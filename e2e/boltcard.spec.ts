/**
 * Tap to pay: a customer holds a Bolt Card to the tablet (a Web NFC reader the test installs),
 * the proxy follows the card's LNURL-withdraw link to the fake Bolt Card service on loopback, and
 * the card's wallet pays — the demo wallet, or LNbits (its fake). Every refusal and fault shows
 * its message and keeps the sale; without Web NFC the checkout is as it always was.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import type { CardMode, CardWallet, FakeCard } from './fakes/boltcard';
import { holdCard, installNfcReader } from './nfc';
import { ports } from './ports';
import { charge, PINS, scanQr, typeAmount, unlock, type InvoiceJson } from './support';

const demoPos = `http://127.0.0.1:${ports.demo}`;
const lnbitsPos = `http://127.0.0.1:${ports.lnbitsPos}`;
const fakeLnbits = `http://127.0.0.1:${ports.fakeLnbits}`;
const fakeBoltcard = `http://127.0.0.1:${ports.fakeBoltcard}`;

/** The demo wallet pays for the card's service: it needs a manager's session to find the invoice. */
async function demoWallet(request: APIRequestContext): Promise<CardWallet> {
  const session = await request.post(`${demoPos}/api/session`, { data: { pin: PINS.manager } });
  const { token } = (await session.json()) as { token: string };
  return { kind: 'pos-demo', url: demoPos, token };
}

async function newCard(request: APIRequestContext, mode: CardMode, wallet: CardWallet): Promise<string> {
  const response = await request.post(`${fakeBoltcard}/__fake/cards`, { data: { mode, wallet } });
  expect(response.status()).toBe(201);
  return ((await response.json()) as FakeCard).id;
}

/** What the card says on its next tap (fresh p and c, as a real card). */
async function linkOf(request: APIRequestContext, cardId: string, form = 'lnurlw'): Promise<string> {
  const response = await request.get(`${fakeBoltcard}/__fake/cards/${cardId}/tap?form=${form}`);
  return ((await response.json()) as { link: string }).link;
}

async function cardState(request: APIRequestContext, cardId: string): Promise<FakeCard> {
  return (await (await request.get(`${fakeBoltcard}/__fake/cards/${cardId}`)).json()) as FakeCard;
}

const panel = (page: Page) => page.getByRole('region', { name: 'Card payment' });

/** Unlocked, a sale charged, the reader listening. */
async function checkout(page: Page, base = '', cents = '1234'): Promise<InvoiceJson> {
  await installNfcReader(page);
  await unlock(page, 'cashier', base);
  await typeAmount(page, cents);
  const invoice = await charge(page);
  await expect(panel(page)).toHaveAttribute('data-state', 'listening');
  await expect(panel(page)).toContainText('Scan the QR or tap a card');
  return invoice;
}

test('a Bolt Card pays on the demo wallet: read, accepted, Paid', async ({ page, request }) => {
  const invoice = await checkout(page, demoPos);
  const card = await newCard(request, 'ok', await demoWallet(request));
  const withdraw = page.waitForResponse((r) => r.url().endsWith(`/api/invoices/${invoice.id}/withdraw`));
  expect(await holdCard(page, await linkOf(request, card))).toBe(1);
  expect((await withdraw).status()).toBe(200);
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 5000 });
  await expect(page.getByText('12,340 sats received')).toBeVisible();
  expect((await cardState(request, card)).payments).toEqual([
    { paymentRequest: invoice.paymentRequest, amountSats: 12_340, paid: true, error: null },
  ]);
});

test('a Bolt Card pays on LNbits (bech32 LNURL in a text record)', async ({ page, request }) => {
  const invoice = await checkout(page, lnbitsPos);
  const card = await newCard(request, 'ok', { kind: 'lnbits', url: fakeLnbits });
  await holdCard(page, await linkOf(request, card, 'bech32'), 'text');
  await expect(panel(page)).toContainText('Card accepted');
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 8000 });
  expect((await cardState(request, card)).payments[0]).toMatchObject({ paymentRequest: invoice.paymentRequest, paid: true });
});

test.describe('every refusal and fault shows its message and keeps the sale', () => {
  const cases: { name: string; mode?: CardMode; fault?: { mode: string; where: 'ln' | 'cb' }; title: string; message: RegExp; timeout?: number }[] = [
    { name: 'limit too low', mode: 'limit-low', title: 'Card declined', message: /allows at most 5,000 sats per payment; this sale is 12,340 sats/ },
    { name: 'amount below the minimum', mode: 'below-min', title: 'Card declined', message: /pays at least 1,000,000 sats/ },
    { name: 'the service declines', mode: 'declined', title: 'Card declined', message: /The card was declined: Daily limit reached/ },
    { name: 'the card is disabled', mode: 'disabled', title: 'Card declined', message: /Card is disabled/ },
    { name: 'wrong tag (an LNURL-pay link)', mode: 'wrong-tag', title: 'Not a payment card', message: /holds no Lightning withdraw link/ },
    { name: 'redirect to a private address', mode: 'redirect-private', title: 'Card not accepted', message: /169\.254\.169\.254, which is a link-local address/ },
    { name: 'HTTP 500', fault: { mode: 'error', where: 'ln' }, title: 'Card unreachable', message: /is having problems \(HTTP 500\)/ },
    { name: 'garbage', fault: { mode: 'garbage', where: 'ln' }, title: 'Card unreachable', message: /an answer the POS does not understand/ },
    { name: 'the callback fails', fault: { mode: 'error', where: 'cb' }, title: 'Card unreachable', message: /HTTP 500/ },
    { name: 'hang', fault: { mode: 'hang', where: 'ln' }, title: 'Card unreachable', message: /did not answer in time/, timeout: 9000 },
  ];

  for (const c of cases) {
    test(c.name, async ({ page, request }) => {
      const invoice = await checkout(page, demoPos);
      const qr = await scanQr(page);
      const card = await newCard(request, c.mode ?? 'ok', await demoWallet(request));
      if (c.fault) {
        const faulted = await request.post(`${fakeBoltcard}/__fake/fault`, { data: { mode: c.fault.mode, match: `/${c.fault.where}/${card}` } });
        expect(faulted.ok()).toBe(true);
      }
      await holdCard(page, await linkOf(request, card));
      await expect(panel(page)).toHaveAttribute('data-state', 'failed', { timeout: c.timeout ?? 7000 });
      await expect(page.getByTestId('card-tap-title')).toHaveText(c.title);
      await expect(page.getByRole('alert')).toContainText(c.message);

      // The sale is kept: the same QR, still pending, and the reader takes another tap.
      expect(await scanQr(page)).toBe(qr);
      await expect(page.getByText('Waiting for payment')).toBeVisible();
      if (c.fault) await request.post(`${fakeBoltcard}/__fake/fault`, { data: { mode: 'none', match: `/${c.fault.where}/${card}` } });
      await request.post(`${fakeBoltcard}/__fake/cards/${card}/mode`, { data: { mode: 'ok' } });
      await holdCard(page, await linkOf(request, card));
      await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 5000 });
      expect((await cardState(request, card)).payments.at(-1)?.paymentRequest).toBe(invoice.paymentRequest);
    });
  }

  test('a tag that is not a Lightning card', async ({ page }) => {
    await checkout(page, demoPos);
    const asked: string[] = [];
    page.on('request', (r) => (r.url().endsWith('/withdraw') ? asked.push(r.url()) : undefined));
    await holdCard(page, 'https://shop.example.com/loyalty/42');
    await expect(page.getByTestId('card-tap-title')).toHaveText('Not a payment card');
    await expect(page.getByRole('alert')).toContainText('holds no Lightning payment link');
    await expect(page.getByRole('img', { name: 'Payment QR code' })).toBeVisible();
    expect(asked).toEqual([]);
  });
});

test('a second tap while the first is answered does nothing', async ({ page, request }) => {
  const invoice = await checkout(page, demoPos);
  const card = await newCard(request, 'ok', await demoWallet(request));
  await request.post(`${fakeBoltcard}/__fake/fault`, { data: { mode: 'slow', delayMs: 1500, match: `/ln/${card}` } });
  const withdraws: string[] = [];
  page.on('request', (r) => (r.url().endsWith(`/api/invoices/${invoice.id}/withdraw`) ? withdraws.push(r.url()) : undefined));
  await holdCard(page, await linkOf(request, card));
  await expect(page.getByTestId('card-tap-title')).toHaveText('Reading card…');
  await holdCard(page, await linkOf(request, card));
  await holdCard(page, await linkOf(request, card));
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 8000 });
  expect(withdraws).toHaveLength(1);
  expect((await cardState(request, card)).payments).toHaveLength(1);
  await request.post(`${fakeBoltcard}/__fake/fault`, { data: { mode: 'none', match: `/ln/${card}` } });
});

test('the first scan waits for the cashier’s tap, as Chrome’s permission prompt does', async ({ page, request }) => {
  await installNfcReader(page, { needsGesture: true });
  await unlock(page, 'cashier', demoPos);
  await typeAmount(page, '500');
  await charge(page);
  // The tap on Charge lets the reader start; a checkout that comes back after a reload has no tap.
  await expect(panel(page)).toHaveAttribute('data-state', 'listening');
  await page.reload();
  await expect(panel(page)).toHaveAttribute('data-state', 'needs-permission');
  await expect(panel(page)).toContainText('Scan the QR or tap a card');
  await page.getByRole('button', { name: 'Turn on card reader' }).click();
  await expect(panel(page)).toHaveAttribute('data-state', 'listening');
  const card = await newCard(request, 'ok', await demoWallet(request));
  await holdCard(page, await linkOf(request, card));
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 5000 });
});

test('without Web NFC the checkout is as it always was, and loads no card code', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (r) => (r.resourceType() === 'script' ? scripts.push(r.url()) : undefined));
  await unlock(page, 'cashier', demoPos);
  await typeAmount(page, '1234');
  await charge(page);
  await expect(page.getByText('Waiting for payment')).toBeVisible();
  await expect(panel(page)).toHaveCount(0);
  await expect(page.getByText('tap a card')).toHaveCount(0);
  expect(scripts.filter((url) => /CardTap/.test(url))).toEqual([]);
});

test('the card states, photographed on tablets and a phone, pass WCAG 2.1 AA checks', async ({ page, request }, info) => {
  test.skip(info.project.name !== 'landscape', 'one run covers every size');
  test.setTimeout(180_000);
  const sizes = [
    { name: 'landscape', width: 1024, height: 768 },
    { name: 'portrait', width: 768, height: 1024 },
    { name: 'phone', width: 390, height: 844 },
  ];
  // The README shows four of them; every one is in the test's output to look at.
  const inReadme = new Set(['listening-landscape', 'reading-portrait', 'accepted-landscape', 'declined-phone']);
  const shoot = async (state: string, size: string) => {
    const name = `${state}-${size}`;
    const file = `boltcard-${name}.png`;
    await page.screenshot({ path: process.env.UPDATE_SCREENSHOTS && inReadme.has(name) ? `e2e/screenshots/${file}` : info.outputPath(file) });
    if (size !== 'landscape') return;
    const results = await new AxeBuilder({ page }).include('[data-testid="card-tap"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(results.violations.map((v) => `${state}: ${v.id}`)).toEqual([]);
  };
  // No wallet: the service accepts and the payment never arrives, so "accepted" stays on screen.
  const card = await newCard(request, 'ok', { kind: 'none' });
  const declined = await newCard(request, 'declined', { kind: 'none' });
  await installNfcReader(page);
  await unlock(page, 'cashier', demoPos);
  for (const size of sizes) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await typeAmount(page, '1234');
    await charge(page);
    await expect(panel(page)).toHaveAttribute('data-state', 'listening');
    await shoot('listening', size.name);

    await request.post(`${fakeBoltcard}/__fake/fault`, { data: { mode: 'slow', delayMs: 3000, match: `/ln/${card}` } });
    await holdCard(page, await linkOf(request, card));
    await expect(page.getByTestId('card-tap-title')).toHaveText('Reading card…');
    await shoot('reading', size.name);
    await expect(page.getByTestId('card-tap-title')).toHaveText('Card accepted', { timeout: 6000 });
    await shoot('accepted', size.name);
    await request.post(`${fakeBoltcard}/__fake/fault`, { data: { mode: 'none', match: `/ln/${card}` } });

    // A new sale for the refusal: the accepted one ignores taps for a while.
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Clear' }).click();
    await typeAmount(page, '1234');
    await charge(page);
    await expect(panel(page)).toHaveAttribute('data-state', 'listening');
    await holdCard(page, await linkOf(request, declined));
    await expect(page.getByTestId('card-tap-title')).toHaveText('Card declined');
    await shoot('declined', size.name);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Clear' }).click();
  }
});
