import { msg } from '@lingui/core/macro';
import { i18n, type MessageDescriptor } from '@lingui/core';
import { useLingui } from '@lingui/react';
import type { InvoiceStatus } from '../../contract/api';

const looks: Record<InvoiceStatus, { label: MessageDescriptor; className: string }> = {
  paid: { label: msg`Paid`, className: 'bg-paid-soft text-paid' },
  pending: { label: msg`Waiting`, className: 'bg-warn-soft text-warn' },
  expired: { label: msg`Expired`, className: 'bg-gray-200 text-ink-soft' },
  cancelled: { label: msg`Cancelled`, className: 'bg-gray-200 text-ink-soft' },
};

/** An invoice's status in the POS's language (the words of the badge). */
export function statusLabel(status: InvoiceStatus): string {
  return i18n._(looks[status].label);
}

/** An invoice's status as words on a colour: never colour alone. */
export function StatusBadge({ status }: { status: InvoiceStatus }) {
  const { _ } = useLingui();
  const { label, className } = looks[status];
  return <span className={`inline-block rounded-full px-2.5 py-0.5 text-sm font-semibold ${className}`}>{_(label)}</span>;
}
