/**
 * Tap to pay with a Bolt Card, where the browser has Web NFC (Chrome on Android). Elsewhere this
 * renders nothing and loads nothing: the checkout looks as it always did, and the card panel's
 * code is fetched only by tablets that can read cards.
 */
import { lazy, Suspense } from 'react';
import { hasWebNfc } from '../../../lib/nfc';

const CardTap = lazy(() => import('./CardTap'));

export function BoltCard({ invoiceId }: { invoiceId: string }) {
  if (!hasWebNfc()) return null;
  return (
    <Suspense fallback={null}>
      <CardTap invoiceId={invoiceId} />
    </Suspense>
  );
}
