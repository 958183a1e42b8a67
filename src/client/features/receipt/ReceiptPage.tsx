/**
 * The customer's receipt, opened on their phone from the QR on the Paid screen: one paid sale,
 * read with the signed link alone (no session, nothing else of the shop), printable. Loaded on
 * demand and rendered outside the cashier's app shell.
 */
import { useLingui } from '@lingui/react/macro';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { receiptQuery } from '../../api/receipts';
import { useStoreLanguage } from '../../i18n/activate';
import { ApiError } from '../../lib/api';
import { Button } from '../../ui/Button';
import { ErrorText } from '../../ui/ErrorText';
import { Receipt } from '../../ui/receipt/Receipt';
import { Spinner } from '../../ui/Spinner';

export default function ReceiptPage({ token }: { token: string }) {
  const { t } = useLingui();
  const query = useQuery(receiptQuery(token));
  const receipt = query.data;
  // The store's language, once the receipt says which (the customer's browser's until then).
  useStoreLanguage(receipt?.language);
  const storeName = receipt?.storeName;
  const title = storeName ? t`Receipt · ${storeName}` : null;
  useEffect(() => {
    if (title) document.title = title;
  }, [title]);

  return (
    <main className="min-h-full bg-canvas px-3 py-6 print:bg-white print:p-0">
      <div className="mx-auto flex max-w-md flex-col gap-4">
        <h1 className="text-center text-3xl font-bold print:hidden">{t`Your receipt`}</h1>
        {receipt ? (
          <>
            <div className="rounded-3xl bg-panel p-5 shadow-sm print:p-0 print:shadow-none">
              <Receipt receipt={receipt} />
            </div>
            <p className="text-center text-base text-ink-soft print:hidden">
              {t`Keep this page (bookmark it or print it): it shows this one payment only.`}
            </p>
            <Button variant="primary" className="print:hidden" onClick={() => window.print()}>
              {t`Print or save as PDF`}
            </Button>
          </>
        ) : query.isError ? (
          <div role="alert" className="rounded-3xl bg-panel p-6 text-center text-xl shadow-sm">
            {query.error instanceof ApiError && query.error.status === 404 ? (
              t`This receipt does not exist. Check that the link is complete.`
            ) : (
              <>
                {t`The receipt could not be loaded.`} <ErrorText error={query.error} />
              </>
            )}
          </div>
        ) : (
          <p className="flex items-center justify-center gap-3 text-xl" aria-busy="true">
            <Spinner /> {t`Loading the receipt…`}
          </p>
        )}
      </div>
    </main>
  );
}
