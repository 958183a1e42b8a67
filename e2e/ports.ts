/**
 * Loopback ports of the servers Playwright starts (away from the default 3000 of `npm start`).
 * `E2E_PORT_OFFSET` shifts them all, so that two checkouts can run their browser tests at once.
 */
export const portOffset = Number(process.env.E2E_PORT_OFFSET ?? 0) || 0;
const offset = portOffset;
export const ports = {
  demo: 3210 + offset,
  shortExpiry: 3211 + offset,
  lnbitsPos: 3212 + offset,
  strikePos: 3213 + offset,
  /** A POS the installed-app test redeploys under a running tablet (e2e/pwa.spec.ts starts it). */
  pwaUpdate: 3214 + offset,
  /** The demo with the customer's tip screen on (and a store address on receipts). */
  tips: 3215 + offset,
  /** An LNbits POS for the pairing screen and the manager's device controls. */
  pairingPos: 3216 + offset,
  /** A POS of its own for "sign out every device", which ends every session on it. */
  signOutPos: 3217 + offset,
  fakeLnbits: 3310 + offset,
  fakeStrike: 3320 + offset,
  /** A BTCPay store (2.0: payment methods read apart) and its POS. */
  fakeBtcpay: 3330 + offset,
  btcpayPos: 3218 + offset,
  /** POS instances whose sales last a minute (POS_INVOICE_EXPIRY's least), on the LNbits and BTCPay fakes. */
  lnbitsShortPos: 3219 + offset,
  /** The demo with named cashiers (POS_CASHIERS) and tips on: e2e/staff.spec.ts and the language walk. */
  staff: 3220 + offset,
  fakeBoltcard: 3340 + offset,
} as const;

/** Fixed credentials shared by the fakes and the POS instances that use them. */
export const fakeKeys = {
  lnbits: '0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e',
  strike: 'e2e-strike-api-key-0123456789',
  btcpay: 'e2e-btcpay-api-key-0123456789',
  btcpayStore: 'E2eStoreE2eStoreE2eStore',
} as const;

/** What the POS instances on a real (fake) provider are configured with: they pair tablets first. */
export const realPos = {
  setupCode: 'e2e-setup-code-0123456789abcdef',
  pins: { cashier: '1234', manager: '999999' },
} as const;

/**
 * The staff of the named-cashiers POS (its manager keeps the demo's PIN, 9999). Alice and Bob are
 * e2e/staff.spec.ts's, which counts their sales; Chloé sells in the language walk, beside it.
 */
export const staffPos = {
  cashiers: { alice: { name: 'Alice', pin: '2468' }, bob: { name: 'Bob', pin: '1357' }, chloe: { name: 'Chloé', pin: '5791' } },
  managerPin: '9999',
} as const;

/** The fake Strike's quotes last this long, so a browser test sees a re-quote within seconds. */
export const STRIKE_QUOTE_SECONDS = 14;
