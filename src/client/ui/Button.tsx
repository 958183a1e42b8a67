import type { ComponentProps } from 'react';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost' | 'paid';

const variants: Record<Variant, string> = {
  primary: 'bg-brand text-brand-ink hover:bg-amber-400 active:bg-amber-600 disabled:bg-gray-300 disabled:text-ink-muted',
  secondary: 'bg-panel text-ink border-2 border-line hover:bg-gray-50 active:bg-gray-200 disabled:text-ink-muted',
  danger: 'bg-panel text-danger border-2 border-danger hover:bg-danger-soft active:bg-red-200',
  ghost: 'bg-transparent text-ink-inverse hover:bg-white/10 active:bg-white/20',
  paid: 'bg-white text-paid hover:bg-paid-soft active:bg-green-200',
};

export interface ButtonProps extends ComponentProps<'button'> {
  variant?: Variant;
  /** Tall touch target for the main action of a screen. */
  size?: 'touch' | 'large';
}

export function Button({ variant = 'secondary', size = 'touch', className = '', type = 'button', ...props }: ButtonProps) {
  const height = size === 'large' ? 'min-h-20 text-2xl' : 'min-h-touch text-lg';
  return (
    <button
      type={type}
      className={`inline-flex items-center justify-center gap-2 rounded-key px-5 font-semibold transition-colors select-none focus-visible:outline-4 focus-visible:outline-offset-2 focus-visible:outline-focus disabled:cursor-not-allowed ${height} ${variants[variant]} ${className}`}
      {...props}
    />
  );
}
