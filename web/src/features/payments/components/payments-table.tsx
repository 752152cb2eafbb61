import type { PaymentResource } from '@expe/contracts';
import { Link } from 'react-router';
import { StatusBadge } from '../../../components/ui';
import { formatDate, formatMoney } from '../../../lib/format';

export function PaymentsTable({ payments }: { payments: PaymentResource[] }) {
  return (
    <div className="-mx-4 overflow-x-auto sm:mx-0">
      <table className="w-full min-w-[36rem] text-left text-sm" data-testid="payments-table">
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">
              Amount
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Status
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Description
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Method
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Created
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {payments.map((payment) => (
            <tr key={payment.id} className="hover:bg-slate-50" data-payment-id={payment.id}>
              <td className="px-4 py-2.5 font-medium tabular-nums">
                <Link to={`/payments/${payment.id}`} className="text-brand-700 hover:underline">
                  {formatMoney(payment.amount, payment.currency)}
                </Link>
                {payment.amount_refunded > 0 && (
                  <span className="ml-1 text-xs text-slate-500">
                    ({formatMoney(payment.amount_refunded, payment.currency)} refunded)
                  </span>
                )}
              </td>
              <td className="px-4 py-2.5">
                <StatusBadge status={payment.status} />
              </td>
              <td className="max-w-[14rem] truncate px-4 py-2.5 text-slate-700">
                {payment.description ?? '—'}
              </td>
              <td className="px-4 py-2.5 text-slate-600">{payment.method ?? '—'}</td>
              <td className="whitespace-nowrap px-4 py-2.5 text-slate-600">
                {formatDate(payment.created)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

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
