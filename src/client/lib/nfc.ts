/**
 * Web NFC (https://w3c.github.io/web-nfc/), as far as the checkout needs it: whether the browser
 * has it, listening for tags until an AbortSignal says stop, and the text of a tag's URL and text
 * records. Chrome on Android has it; iOS and desktop browsers do not (they show the QR alone).
 *
 * TypeScript's DOM library does not describe Web NFC: the few members used are declared here.
 */

export interface NdefRecordLike {
  /** "url", "absolute-url", "text", "mime", "smart-poster", "empty", … */
  recordType: string;
  data?: DataView | null;
  /** A text record's encoding ("utf-8" or "utf-16"). */
  encoding?: string | null;
}

export interface NdefMessageLike {
  records: readonly NdefRecordLike[];
}

export interface NdefReadingEventLike {
  message: NdefMessageLike;
}

interface NdefReader {
  scan(options?: { signal?: AbortSignal }): Promise<void>;
  onreading: ((event: NdefReadingEventLike) => void) | null;
  onreadingerror: ((event: Event) => void) | null;
}

declare global {
  interface Window {
    NDEFReader?: new () => NdefReader;
  }
}

export function hasWebNfc(): boolean {
  return typeof window !== 'undefined' && 'NDEFReader' in window;
}

/**
 * Why listening could not start: `denied` (permission refused, or the first scan needs a tap on
 * the page), `unavailable` (no NFC hardware, or NFC is off in the device's settings).
 */
export type NfcProblem = 'denied' | 'unavailable';

export class NfcError extends Error {
  constructor(readonly problem: NfcProblem) {
    super(problem === 'denied' ? 'The browser may not use NFC yet.' : 'NFC is off or missing on this device.');
    this.name = 'NfcError';
  }
}

export interface TagListener {
  onTag(message: NdefMessageLike): void;
  /** A tag was near but could not be read (moved away too soon, not NDEF). */
  onUnreadable(): void;
}

/**
 * Listens for NFC tags until `signal` aborts. Resolves once listening has started; rejects with
 * NfcError when it cannot. Aborting stops the reader (the tablet no longer takes tags).
 */
export async function listenForTags(listener: TagListener, signal: AbortSignal): Promise<void> {
  const Reader = window.NDEFReader;
  if (!Reader) throw new NfcError('unavailable');
  const reader = new Reader();
  reader.onreading = (event) => {
    if (!signal.aborted) listener.onTag(event.message);
  };
  reader.onreadingerror = () => {
    if (!signal.aborted) listener.onUnreadable();
  };
  signal.addEventListener('abort', () => {
    reader.onreading = null;
    reader.onreadingerror = null;
  });
  try {
    await reader.scan({ signal });
  } catch (error) {
    if (signal.aborted) return;
    throw new NfcError(error instanceof DOMException && error.name === 'NotAllowedError' ? 'denied' : 'unavailable');
  }
}

/** The text of a message's URL and text records, in the tag's order (others are skipped). */
export function recordTexts(message: NdefMessageLike): string[] {
  const texts: string[] = [];
  for (const record of message.records) {
    if (!record.data) continue;
    const isUrl = record.recordType === 'url' || record.recordType === 'absolute-url';
    if (!isUrl && record.recordType !== 'text') continue;
    try {
      // URL records are UTF-8 with their prefix already expanded by the browser.
      const encoding = isUrl ? 'utf-8' : (record.encoding ?? 'utf-8');
      texts.push(new TextDecoder(encoding, { fatal: true }).decode(record.data));
    } catch {
      // An undecodable record is skipped like an unknown one.
    }
  }
  return texts;
}
