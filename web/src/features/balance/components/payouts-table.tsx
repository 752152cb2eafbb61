import type { PayoutResource } from '@expe/contracts';
import { StatusBadge } from '../../../components/ui';
import { formatDate, formatMoney } from '../../../lib/format';

export function PayoutsTable({ payouts }: { payouts: PayoutResource[] }) {
  return (
    <div className="-mx-4 overflow-x-auto sm:mx-0">
      <table className="w-full min-w-[32rem] text-left text-sm" data-testid="payouts-table">
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {['Amount', 'Status', 'Destination', 'Created'].map((name) => (
              <th key={name} scope="col" className="px-4 py-2 font-medium">
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {payouts.map((payout) => (
            <tr key={payout.id} data-payout-id={payout.id}>
              <td className="px-4 py-2.5 font-medium tabular-nums">
                {formatMoney(payout.amount, payout.currency)}
              </td>
              <td className="px-4 py-2.5">
                <StatusBadge status={payout.status} />
                {payout.failure_message && (
                  <p className="mt-1 text-xs text-red-700">{payout.failure_message}</p>
                )}
              </td>
              <td className="px-4 py-2.5 font-mono text-xs">{payout.destination.vpa}</td>
              <td className="whitespace-nowrap px-4 py-2.5 text-slate-600">
                {formatDate(payout.created)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
