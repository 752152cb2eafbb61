import type { PaymentResource } from '@expe/contracts';
import { Link } from 'react-router';
import type { Column } from '../../../components/data-table';
import { StatusBadge } from '../../../components/ui';
import { formatDate, formatMoney } from '../../../lib/format';

/** The columns of a payments list; the amount links to the payment. */
export const paymentColumns: Column<PaymentResource>[] = [
  {
    header: 'Amount',
    className: 'font-medium tabular-nums',
    cell: (payment) => (
      <>
        <Link to={`/payments/${payment.id}`} className="text-brand-700 hover:underline">
          {formatMoney(payment.amount, payment.currency)}
        </Link>
        {payment.amount_refunded > 0 && (
          <span className="ml-1 text-xs text-slate-500">
            ({formatMoney(payment.amount_refunded, payment.currency)} refunded)
          </span>
        )}
      </>
    ),
  },
  { header: 'Status', cell: (payment) => <StatusBadge status={payment.status} /> },
  {
    header: 'Description',
    className: 'max-w-[14rem] truncate text-slate-700',
    cell: (payment) => payment.description ?? '—',
  },
  { header: 'Method', className: 'text-slate-600', cell: (payment) => payment.method ?? '—' },
  {
    header: 'Created',
    className: 'whitespace-nowrap text-slate-600',
    cell: (payment) => formatDate(payment.created),
  },
];

/** The table props every payments list shares (with `paymentColumns`). */
export const paymentsTable = {
  columns: paymentColumns,
  caption: 'Payments',
  testId: 'payments-table',
  rowProps: (payment: PaymentResource) => ({
    className: 'hover:bg-slate-50',
    'data-payment-id': payment.id,
  }),
} as const;

const csvColumns = [
  'id',
  'amount',
  'amount_refunded',
  'currency',
  'status',
  'method',
  'description',
  'customer_email',
  'created',
] as const;

/** RFC 4180 quoting; a leading =,+,-,@ is prefixed so spreadsheets do not run it as a formula. */
function csvCell(value: string | number | boolean | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function paymentsToCsv(payments: PaymentResource[]): string {
  const rows = payments.map((payment) =>
    csvColumns
      .map((column) =>
        csvCell(
          column === 'created' ? new Date(payment.created * 1000).toISOString() : payment[column],
        ),
      )
      .join(','),
  );
  return [csvColumns.join(','), ...rows].join('\r\n') + '\r\n';
}

export function downloadText(filename: string, text: string, type = 'text/csv') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
