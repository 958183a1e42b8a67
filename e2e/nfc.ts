/**
 * A Web NFC reader for the browser tests: Chromium on a desktop has no `NDEFReader`, so the page
 * gets one before its scripts run. Like Chrome on Android, `scan()` resolves once listening has
 * started (or, with `needsGesture`, rejects with NotAllowedError until the page was tapped, as
 * the first permission prompt does), and a "card" held to the device is a `reading` event whose
 * message has one NDEF record — a URL record as Bolt Cards carry, or a text record.
 */
import type { Page } from '@playwright/test';

export interface ReaderOptions {
  /** The first `scan()` needs a user gesture (Chrome's permission prompt), as on a fresh tablet. */
  needsGesture?: boolean;
}

export async function installNfcReader(page: Page, options: ReaderOptions = {}): Promise<void> {
  await page.addInitScript((opts: ReaderOptions) => {
    // Chrome's transient activation: a real tap on the page in the last 5 seconds. (Not
    // navigator.userActivation: Playwright's evaluate() counts as a gesture there.)
    let gestureAt = -Infinity;
    window.addEventListener('pointerdown', () => (gestureAt = performance.now()), true);
    const listening = new Set<EventTarget & { onreading: ((event: Event) => void) | null }>();
    class FakeNdefReader extends EventTarget {
      onreading: ((event: Event) => void) | null = null;
      onreadingerror: ((event: Event) => void) | null = null;
      scan(scanOptions: { signal?: AbortSignal } = {}): Promise<void> {
        const { signal } = scanOptions;
        if (signal?.aborted) return Promise.reject(new DOMException('The scan was aborted.', 'AbortError'));
        if (opts.needsGesture && performance.now() - gestureAt > 5000) {
          return Promise.reject(new DOMException('NFC permission request denied.', 'NotAllowedError'));
        }
        listening.add(this);
        signal?.addEventListener('abort', () => listening.delete(this));
        return Promise.resolve();
      }
    }
    Object.defineProperty(window, 'NDEFReader', { value: FakeNdefReader, configurable: true, writable: true });
    Object.defineProperty(window, '__nfc', {
      value: {
        /** Holds a card with one record to the device; returns how many readers were listening. */
        tap(text: string, recordType: 'url' | 'text') {
          const data = new DataView(new TextEncoder().encode(text).buffer);
          const record = { recordType, mediaType: null, id: null, data, encoding: recordType === 'text' ? 'utf-8' : null, lang: null };
          for (const reader of listening) {
            const event = Object.assign(new Event('reading'), { serialNumber: '04:a3:6b:1a:2c:90:80', message: { records: [record] } });
            reader.dispatchEvent(event);
            reader.onreading?.(event);
          }
          return listening.size;
        },
      },
    });
  }, options);
}

/** The customer holds their card to the tablet: one NDEF record with `text`. */
export async function holdCard(page: Page, text: string, recordType: 'url' | 'text' = 'url'): Promise<number> {
  return page.evaluate(
    ([link, type]) => (window as unknown as { __nfc: { tap(text: string, type: string): number } }).__nfc.tap(link, type),
    [text, recordType] as const,
  );
}
