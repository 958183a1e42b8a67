/**
 * The "paid" chime, synthesised with the Web Audio API (no audio file to load). Browsers only
 * let a page make sound after a user gesture, so the Charge tap primes the audio context.
 */
let context: AudioContext | null = null;

function audio(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  context ??= new AudioContext();
  return context;
}

/** Call from a tap: unlocks audio for the chime that may come later. */
export function primeSound(): void {
  void audio()?.resume().catch(() => {});
}

/** A short rising two-note chime, about half a second. */
export function playPaidChime(): void {
  const ctx = audio();
  if (!ctx) return;
  void ctx.resume().catch(() => {});
  const start = ctx.currentTime + 0.01;
  [880, 1318.5].forEach((frequency, index) => {
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    const at = start + index * 0.16;
    oscillator.type = 'sine';
    oscillator.frequency.setValueAtTime(frequency, at);
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.35, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.35);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.4);
  });
}
