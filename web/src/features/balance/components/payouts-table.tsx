import type { PayoutResource } from '@expe/contracts';
import type { Column } from '../../../components/data-table';
import { StatusBadge } from '../../../components/ui';
import { formatDate, formatMoney } from '../../../lib/format';

const payoutColumns: Column<PayoutResource>[] = [
  {
    header: 'Amount',
    className: 'font-medium tabular-nums',
    cell: (payout) => formatMoney(payout.amount, payout.currency),
  },
  {
    header: 'Status',
    cell: (payout) => (
      <>
        <StatusBadge status={payout.status} />
        {payout.failure_message && (
          <p className="mt-1 text-xs text-red-700">{payout.failure_message}</p>
        )}
      </>
    ),
  },
  {
    header: 'Destination',
    className: 'font-mono text-xs',
    cell: (payout) => payout.destination.vpa,
  },
  {
    header: 'Created',
    className: 'whitespace-nowrap text-slate-600',
    cell: (payout) => formatDate(payout.created),
  },
];

/** Table props of the payouts list (for DataTable or Table). */
export const payoutsTable = {
  columns: payoutColumns,
  caption: 'Payouts',
  testId: 'payouts-table',
  minWidth: '32rem',
  rowProps: (payout: PayoutResource) => ({ 'data-payout-id': payout.id }),
} as const;
