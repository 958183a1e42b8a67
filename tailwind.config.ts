import type { Config } from 'tailwindcss';

/**
 * Design tokens. Colours are chosen for WCAG AA at arm's length: every text/background pair
 * used on screen is ≥ 4.5:1 (≥ 3:1 only for text ≥ 24 px bold). Touch sizes follow the
 * "gloves" rule: nothing a cashier taps is smaller than 64 px. Which files Tailwind reads is said by
 * the stylesheets that load this config (src/client/styles/).
 */
export default {
  theme: {
    extend: {
      colors: {
        ink: { DEFAULT: '#111827', soft: '#374151', muted: '#4b5563', inverse: '#f9fafb' },
        canvas: '#f3f4f6',
        panel: '#ffffff',
        line: '#d1d5db',
        brand: { DEFAULT: '#f59e0b', strong: '#b45309', ink: '#111827' },
        bar: '#111827',
        paid: { DEFAULT: '#15803d', soft: '#dcfce7' },
        danger: { DEFAULT: '#b91c1c', soft: '#fee2e2' },
        warn: { DEFAULT: '#92400e', soft: '#fef3c7' },
        focus: '#2563eb',
      },
      minHeight: { touch: '4rem', key: '4.5rem' },
      minWidth: { touch: '4rem' },
      height: { touch: '4rem', key: '4.5rem' },
      fontSize: {
        amount: ['clamp(2.5rem, 9vmin, 5.5rem)', { lineHeight: '1.05', fontWeight: '800' }],
        key: ['2rem', { lineHeight: '1', fontWeight: '600' }],
      },
      borderRadius: { key: '1rem' },
      fontFamily: {
        sans: ['system-ui', '-apple-system', 'Segoe UI', 'Roboto', 'Helvetica Neue', 'Arial', 'sans-serif'],
      },
    },
  },
} satisfies Config;
