import { useLingui } from '@lingui/react/macro';
import { useEffect } from 'react';
import { createPortal } from 'react-dom';
import type { Receipt as ReceiptData } from '../../../contract/receipts';
import { receiptPaperChosen, receiptPapers, useReceiptPaper, type ReceiptPaper } from '../../stores/settings';
import { Receipt } from './Receipt';

const paperLabels: Record<ReceiptPaper, string> = { '80mm': '80 mm', a4: 'A4' };
const PRINTING = 'printing-receipt';

/**
 * "Print receipt" with the paper of this tablet's printer (remembered): the receipt alone goes to
 * the printer, laid out for an 80 mm thermal roll or an A4 page (styles.css, `@page`).
 */
export function PrintReceipt({ receipt, tone = 'light' }: { receipt: ReceiptData; tone?: 'light' | 'paid' }) {
  const { t } = useLingui();
  const paper = useReceiptPaper();
  useEffect(() => () => document.documentElement.classList.remove(PRINTING), []);

  const print = () => {
    document.documentElement.classList.add(PRINTING);
    window.addEventListener('afterprint', () => document.documentElement.classList.remove(PRINTING), { once: true });
    window.print();
  };

  const toggle = tone === 'paid' ? 'border-white text-white aria-pressed:bg-white aria-pressed:text-paid' : 'border-line text-ink aria-pressed:border-brand-strong aria-pressed:bg-brand';
  const button =
    tone === 'paid' ? 'bg-white text-paid hover:bg-paid-soft' : 'border-2 border-line bg-panel text-ink hover:bg-gray-50';
  return (
    <div className="flex flex-wrap items-center justify-center gap-2">
      <div role="group" aria-label={t`Receipt paper`} className="flex gap-1">
        {receiptPapers.map((option) => (
          <button
            key={option}
            type="button"
            aria-pressed={paper === option}
            onClick={() => receiptPaperChosen(option)}
            className={`min-h-12 rounded-key border-2 px-3 text-lg font-semibold sm:min-h-touch ${toggle}`}
          >
            {paperLabels[option]}
          </button>
        ))}
      </div>
      <button type="button" onClick={print} className={`min-h-12 rounded-key px-5 text-lg font-semibold sm:min-h-touch ${button}`}>
        {t`Print receipt`}
      </button>
      {createPortal(
        <div className="print-receipt" data-paper={paper}>
          <Receipt receipt={receipt} />
        </div>,
        document.body,
      )}
    </div>
  );
}
