import { useLingui } from '@lingui/react/macro';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useDeferredValue, type ReactNode } from 'react';
import { Link, Redirect, Route, Switch, useLocation, useRoute } from 'wouter';
import { configQuery, useConfig } from '../api/config';
import { useStoreLanguage } from '../i18n/activate';
import { CashierScreen } from '../features/cashier/CashierScreen';
import { AppUpdates } from '../pwa/AppUpdates';
import { useResumeCharge } from '../sale/useSendCharge';
import { useDevice } from '../stores/device';
import { useSession } from '../stores/session';
import { Button } from '../ui/Button';
import { OfflineBanner } from './OfflineBanner';
import { TopBar } from './TopBar';
import { useSessionExpiry } from './useSessionExpiry';
import { ErrorText } from '../ui/ErrorText';

/**
 * A screen a cashier does not need to see the keypad: its code on demand, with the stylesheet of
 * every screen (the keypad's first paint has only the first screen's rules: styles/first-screen.css).
 */
const screen =
  <T,>(load: () => Promise<T>) =>
  (): Promise<T> =>
    Promise.all([load(), import('../styles/all-screens.css')]).then(([module]) => module);

const loadCheckout = screen(() => import('../features/checkout/CheckoutScreen'));
const loadTip = screen(() => import('../features/tip/TipScreen'));
const UnlockScreen = lazy(screen(() => import('../features/unlock/UnlockScreen')));
const CheckoutScreen = lazy(loadCheckout);
const TipScreen = lazy(loadTip);
const HistoryScreen = lazy(screen(() => import('../features/history/HistoryScreen')));
const PairingScreen = lazy(screen(() => import('../features/pairing/PairingScreen')));
const DevicesPanel = lazy(screen(() => import('../features/pairing/DevicesPanel').then((m) => ({ default: m.DevicesPanel }))));
const ShiftScreen = lazy(screen(() => import('../features/shift/ShiftScreen')));
const ReceiptPage = lazy(screen(() => import('../features/receipt/ReceiptPage')));

export function App() {
  const { t } = useLingui();
  // A customer's receipt link stands alone: no config, no session, no cashier screens.
  const [isReceipt, receipt] = useRoute('/r/:token');
  if (isReceipt) {
    return (
      <Suspense fallback={<Splash>{t`Loading the receipt…`}</Splash>}>
        <ReceiptPage token={receipt.token} />
      </Suspense>
    );
  }
  return <PointOfSale />;
}

function PointOfSale() {
  const { t, i18n } = useLingui();
  const config = useQuery(configQuery());
  // The store's language, once its config says which (this tablet's own choice comes first).
  const speaking = useStoreLanguage(config.data?.language);
  // The whole screen renders when the config arrives: deferred, React renders it in slices and
  // the tablet stays responsive meanwhile (the splash stays up until it is ready).
  const ready = useDeferredValue(config.data !== undefined && speaking);
  if (config.isError) {
    return (
      <Splash>
        <p role="alert">
          <ErrorText error={config.error} />
        </p>
        <Button variant="primary" onClick={() => void config.refetch()}>
          {t`Try again`}
        </Button>
      </Splash>
    );
  }
  if (!ready || !config.data) return <Splash>{t`Starting…`}</Splash>;
  // Another language is a fresh start of every screen: nothing keeps words of the last one.
  return <Shell key={i18n.locale} />;
}

function Shell() {
  const { t } = useLingui();
  const config = useConfig();
  const session = useSession();
  const device = useDevice();
  const [location] = useLocation();
  useSessionExpiry();
  // Outside the demo a tablet is paired before anything else: PINs are only checked from one.
  if (config.pairingRequired && !device && location !== '/pair') {
    return <Redirect to={`/pair?next=${encodeURIComponent(location === '/unlock' ? '/' : location)}`} replace />;
  }
  const tipping = config.tipPercents.length > 0;
  // The screens after Charge, fetched while the cashier types so they show at once.
  const warmUp = () => {
    void loadCheckout();
    if (tipping) void loadTip();
  };
  return (
    <div className="flex h-full flex-col">
      {session && <TopBar storeName={config.storeName} role={session.role} cashier={session.cashier} />}
      {session && <ChargeResumer />}
      <OfflineBanner />
      <AppUpdates />
      <div className="min-h-0 flex-1">
        <Switch>
          <Route path="/pair">
            <Suspense fallback={<Splash>{t`Starting…`}</Splash>}>
              <PairingScreen />
            </Suspense>
          </Route>
          <Route path="/unlock">
            <Suspense fallback={<Splash>{t`Starting…`}</Splash>}>
              <UnlockScreen />
            </Suspense>
          </Route>
          <Route path="/">
            <RequireSession>
              <CashierScreen warmUp={warmUp} />
            </RequireSession>
          </Route>
          <Route path="/tip">
            <RequireSession>
              <Suspense fallback={<Splash>{t`Loading…`}</Splash>}>{tipping ? <TipScreen /> : <Redirect to="/" replace />}</Suspense>
            </RequireSession>
          </Route>
          <Route path="/checkout/:id">
            {(params) => (
              <RequireSession>
                <Suspense fallback={<Splash>{t`Loading checkout…`}</Splash>}>
                  <CheckoutScreen id={params.id} />
                </Suspense>
              </RequireSession>
            )}
          </Route>
          <Route path="/shift">
            <RequireSession>
              <Suspense fallback={<Splash>{t`Loading your shift…`}</Splash>}>
                <ShiftScreen />
              </Suspense>
            </RequireSession>
          </Route>
          <Route path="/history">
            <RequireSession>
              <ManagerOnly>
                <Suspense fallback={<Splash>{t`Loading history…`}</Splash>}>
                  <HistoryScreen>
                    <Suspense fallback={null}>
                      <DevicesPanel />
                    </Suspense>
                  </HistoryScreen>
                </Suspense>
              </ManagerOnly>
            </RequireSession>
          </Route>
          <Route>
            <Redirect to="/" />
          </Route>
        </Switch>
      </div>
    </div>
  );
}

/** A charge that was on its way when the page went away is sent again, and its checkout opened. */
function ChargeResumer() {
  const [, navigate] = useLocation();
  useResumeCharge((invoice) => navigate(`/checkout/${invoice.id}`));
  return null;
}

/** Screens behind the PIN: without a session, unlock first and come back here after. */
function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const [location] = useLocation();
  if (!session) return <Redirect to={`/unlock?next=${encodeURIComponent(location)}`} replace />;
  return children;
}

/** The dashboard is the manager's: a cashier who finds the address is told so, not shown it. */
function ManagerOnly({ children }: { children: ReactNode }) {
  const { t } = useLingui();
  const session = useSession();
  if (session?.role === 'manager') return children;
  return (
    <Splash>
      <h1 className="text-3xl font-bold">{t`History is for the manager`}</h1>
      <p className="text-ink-soft">{t`Lock the POS and unlock with the manager PIN to see the day’s sales.`}</p>
      <Link href="/" className="min-h-touch rounded-key bg-brand px-8 py-4 text-xl font-semibold text-brand-ink">
        {t`Back to selling`}
      </Link>
    </Splash>
  );
}

function Splash({ children }: { children: ReactNode }) {
  return <main className="flex h-full flex-col items-center justify-center gap-6 p-8 text-center text-xl">{children}</main>;
}
