import type { BalanceTransactionResource } from '@expe/contracts';
import { StatusBadge } from '../../../components/ui';
import { formatDate, formatMoney, titleCase } from '../../../lib/format';

export function BalanceTransactionsTable({ rows }: { rows: BalanceTransactionResource[] }) {
  return (
    <div className="-mx-4 overflow-x-auto sm:mx-0">
      <table className="w-full min-w-[40rem] text-left text-sm" data-testid="balance-transactions">
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {['Type', 'Amount', 'Fee', 'Net', 'Status', 'Available on', 'Source'].map((name) => (
              <th key={name} scope="col" className="px-4 py-2 font-medium">
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.id} data-balance-transaction-id={row.id}>
              <td className="px-4 py-2.5">{titleCase(row.type)}</td>
              <td className="px-4 py-2.5 tabular-nums">{formatMoney(row.amount, row.currency)}</td>
              <td className="px-4 py-2.5 tabular-nums text-slate-600">
                {formatMoney(row.fee, row.currency)}
              </td>
              <td className="px-4 py-2.5 font-medium tabular-nums">
                {formatMoney(row.net, row.currency)}
              </td>
              <td className="px-4 py-2.5">
                <StatusBadge status={row.status} />
              </td>
              <td className="whitespace-nowrap px-4 py-2.5 text-slate-600">
                {formatDate(row.available_on)}
              </td>
              <td className="px-4 py-2.5 font-mono text-xs text-slate-600">{row.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
