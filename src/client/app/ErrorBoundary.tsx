import { t } from '@lingui/core/macro';
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  failed: boolean;
}

/**
 * Never a blank screen: a render error shows a way back. The sale in progress is in local
 * storage, so reloading returns to it. (A class component cannot use hooks: its words come from
 * the same Lingui instance, read when it renders.)
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Screen failed to render', error, info.componentStack);
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="flex h-full flex-col items-center justify-center gap-6 p-8 text-center">
        <h1 className="text-3xl font-bold">{t`Something went wrong on this screen`}</h1>
        <p className="max-w-md text-lg text-ink-soft">{t`The sale in progress is kept. Reload to continue where you were.`}</p>
        <button
          type="button"
          className="min-h-touch rounded-key bg-brand px-8 text-xl font-semibold text-brand-ink"
          onClick={() => window.location.reload()}
        >
          {t`Reload`}
        </button>
      </main>
    );
  }
}
