/**
 * Room in the store for parties the shop does not know: browsers that are not paired, guessing
 * pairing codes (or, on the demo, PINs). Each such client gets a counter of its own, so their
 * number must be bounded, or a flood from many addresses would fill the store. Two rules do it:
 *
 * - a client is an address, and an IPv6 client its /64 (one subscriber's whole network), so that
 *   rotating through one's own addresses does not make one many clients;
 * - at most `STRANGERS_PER_SLOT` new clients are admitted per 5-minute slot, shop-wide. Past that,
 *   a new client is refused (429) until the next slot — it never pushes anything else out.
 *
 * Their entries live at most `STRANGER_ENTRY_TTL_MS`, so the store never holds more than
 * `MAX_STRANGER_ENTRIES` of them (SECURITY.md has the arithmetic). Paired tablets never pass
 * through here: nothing a stranger does can use up their room.
 */
import { ApiError } from './errors';
import type { KeyValueStore } from './store';

export const STRANGER_SLOT_MS = 5 * 60_000;
export const STRANGERS_PER_SLOT = 2_000;
/** The longest any per-client entry of a stranger lives (the pairing attempts window). */
export const STRANGER_ENTRY_TTL_MS = 15 * 60_000;
/** Entries one admitted stranger may hold at once (attempt counter and lockout). */
const ENTRIES_PER_STRANGER = 2;
/**
 * A stranger's entries outlive its slot by up to their TTL, so those of this many slots can be
 * alive together.
 */
const LIVE_SLOTS = Math.ceil(STRANGER_ENTRY_TTL_MS / STRANGER_SLOT_MS) + 1;
export const MAX_STRANGER_ENTRIES = STRANGERS_PER_SLOT * LIVE_SLOTS * ENTRIES_PER_STRANGER;

/** Which client an address counts as: itself, or for IPv6 the /64 it belongs to. */
export function clientBucket(address: string): string {
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (v4mapped) return v4mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** Sessions of browsers that are not paired (the demo's) begun per hour, shop-wide. */
export const DEVICELESS_SESSIONS_PER_HOUR = 500;

export class Strangers {
  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => number,
  ) {}

  /**
   * Lets a stranger's request make `key`, its first entry in the store: free when the key is
   * there already, else one of the slot's admissions, or 429 when the slot has none left.
   */
  async admit(key: string): Promise<void> {
    if ((await this.store.get(key)) !== undefined) return;
    const slot = Math.floor(this.now() / STRANGER_SLOT_MS);
    const admitted = await this.store.increment(`strangers:${slot}`, 1, 2 * STRANGER_SLOT_MS);
    if (admitted > STRANGERS_PER_SLOT) throw this.busy((slot + 1) * STRANGER_SLOT_MS);
  }

  /**
   * Lets an unpaired browser (on the demo) begin a session, whose record lives as long as the
   * session: at most DEVICELESS_SESSIONS_PER_HOUR a clock hour, shop-wide.
   */
  async admitSession(): Promise<void> {
    const hour = Math.floor(this.now() / 3600_000);
    if ((await this.store.increment(`deviceless-sessions:${hour}`, 1, 2 * 3600_000)) > DEVICELESS_SESSIONS_PER_HOUR) {
      throw this.busy((hour + 1) * 3600_000);
    }
  }

  private busy(until: number): ApiError {
    const retryAfterSeconds = Math.max(1, Math.ceil((until - this.now()) / 1000));
    return new ApiError(
      429,
      'rate_limited',
      'Too many unknown devices are trying this POS right now. Try again later, or pair this tablet.',
      { retryAfterSeconds },
      { 'Retry-After': String(retryAfterSeconds) },
    );
  }
}
