/**
 * The proxy's clock as seen from the tablet: countdowns use it, so a tablet whose clock is off
 * still shows the right time left on an invoice. Learned from each response's `Date` header
 * (whole seconds, so the offset is only trusted beyond a second).
 */
let offsetMs = 0;

export function clockOffsetObserved(dateHeader: string | null, receivedAt = Date.now()): void {
  if (!dateHeader) return;
  const serverTime = Date.parse(dateHeader);
  if (Number.isNaN(serverTime)) return;
  const offset = serverTime - receivedAt;
  offsetMs = Math.abs(offset) > 1500 ? offset : 0;
}

/** Now, on the proxy's clock. */
export function serverNow(): number {
  return Date.now() + offsetMs;
}
