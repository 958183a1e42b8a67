/** Loopback ports of the servers Playwright starts (away from the default 3000 of `npm start`). */
export const ports = {
  demo: 3210,
  shortExpiry: 3211,
  lnbitsPos: 3212,
  strikePos: 3213,
  fakeLnbits: 3310,
  fakeStrike: 3320,
} as const;

/** Fixed credentials shared by the fakes and the POS instances that use them. */
export const fakeKeys = {
  lnbits: '0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e',
  strike: 'e2e-strike-api-key-0123456789',
} as const;

/** The fake Strike's quotes last this long, so a browser test sees a re-quote within seconds. */
export const STRIKE_QUOTE_SECONDS = 14;
