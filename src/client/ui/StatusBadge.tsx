import type { InvoiceStatus } from '../../contract/api';

const looks: Record<InvoiceStatus, { label: string; className: string }> = {
  paid: { label: 'Paid', className: 'bg-paid-soft text-paid' },
  pending: { label: 'Waiting', className: 'bg-warn-soft text-warn' },
  expired: { label: 'Expired', className: 'bg-gray-200 text-ink-soft' },
  cancelled: { label: 'Cancelled', className: 'bg-gray-200 text-ink-soft' },
};

export function statusLabel(status: InvoiceStatus): string {
  return looks[status].label;
}

/** An invoice's status as words on a colour: never colour alone. */
export function StatusBadge({ status }: { status: InvoiceStatus }) {
  const { label, className } = looks[status];
  return <span className={`inline-block rounded-full px-2.5 py-0.5 text-sm font-semibold ${className}`}>{label}</span>;
}
