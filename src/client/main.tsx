import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { ErrorBoundary } from './app/ErrorBoundary';
import { LanguageRoot } from './app/LanguageRoot';
import { createQueryClient } from './app/queryClient';
import { startLanguage } from './i18n/activate';
import { preloadErrorWords } from './ui/ErrorText';
import './styles.css';

const queryClient = createQueryClient();
startLanguage();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <LanguageRoot>
      <ErrorBoundary>
        <QueryClientProvider client={queryClient}>
          <App />
        </QueryClientProvider>
      </ErrorBoundary>
    </LanguageRoot>
  </StrictMode>,
);

// The errors' words, once the first screen is in (ui/ErrorText.tsx).
if (document.readyState === 'complete') preloadErrorWords();
else window.addEventListener('load', preloadErrorWords, { once: true });
