import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import { speak } from './i18n';

beforeEach(() => speak('en'));

// vitest runs without globals, so Testing Library's own automatic cleanup is not registered.
afterEach(() => {
  cleanup();
  localStorage.clear();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});
