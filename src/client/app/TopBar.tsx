import { Link, useLocation } from 'wouter';
import type { Role } from '../../contract/api';
import { lock } from '../api/session';
import { soundToggled, useSoundOn } from '../stores/settings';
import { BoltIcon, SpeakerIcon } from '../ui/icons';

/** Store name, the screens this role may open, sound on/off and Lock. */
export function TopBar({ storeName, role }: { storeName: string; role: Role }) {
  const [location] = useLocation();
  const soundOn = useSoundOn();
  const linkClass = (active: boolean) =>
    `inline-flex min-h-touch items-center rounded-key px-5 text-lg font-semibold ${
      active ? 'bg-white/15 text-ink-inverse' : 'text-gray-300 hover:bg-white/10'
    }`;
  return (
    <header className="flex items-center gap-3 bg-bar px-3 py-1 text-ink-inverse print:hidden">
      <span className="mr-auto flex min-w-0 items-center gap-2 pl-2 text-lg font-bold" title={storeName}>
        <BoltIcon className="size-6 shrink-0 text-brand" />
        <span className="truncate">{storeName}</span>
      </span>
      <nav aria-label="Screens" className="flex gap-1">
        <Link href="/" className={linkClass(location === '/' || location.startsWith('/checkout'))}>
          Sell
        </Link>
        {role === 'manager' && (
          <Link href="/history" className={linkClass(location.startsWith('/history'))}>
            History
          </Link>
        )}
      </nav>
      <button
        type="button"
        aria-pressed={soundOn}
        onClick={soundToggled}
        className="inline-flex min-h-touch min-w-touch items-center justify-center rounded-key px-4 text-lg font-semibold text-gray-200 hover:bg-white/10"
      >
        <SpeakerIcon muted={!soundOn} className="mr-2 size-6" />
        Sound
      </button>
      <button
        type="button"
        onClick={lock}
        className="inline-flex min-h-touch min-w-touch items-center justify-center rounded-key border-2 border-gray-500 px-5 text-lg font-semibold text-ink-inverse hover:bg-white/10"
      >
        Lock
      </button>
    </header>
  );
}
