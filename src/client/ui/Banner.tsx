import type { ReactNode } from 'react';

const tones = {
  error: 'bg-danger-soft text-danger border-danger',
  warning: 'bg-warn-soft text-warn border-warn',
  info: 'bg-panel text-ink border-line',
} as const;

/** A message a cashier must not miss; errors are announced by screen readers as they appear. */
export function Banner({ tone, children, action }: { tone: keyof typeof tones; children: ReactNode; action?: ReactNode }) {
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      className={`flex items-center justify-between gap-4 rounded-xl border-2 px-4 py-3 text-lg font-medium ${tones[tone]}`}
    >
      <div>{children}</div>
      {action}
    </div>
  );
}
