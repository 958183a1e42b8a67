/** Loopback ports of the servers Playwright starts (away from the default 3000 of `npm start`). */
export const ports = { demo: 3210, shortExpiry: 3211 } as const;
