import type { BalanceTransactionResource } from '@expe/contracts';
import type { Column } from '../../../components/data-table';
import { StatusBadge } from '../../../components/ui';
import { formatDate, formatMoney, titleCase } from '../../../lib/format';

const balanceTransactionColumns: Column<BalanceTransactionResource>[] = [
  { header: 'Type', cell: (row) => titleCase(row.type) },
  {
    header: 'Amount',
    className: 'tabular-nums',
    cell: (row) => formatMoney(row.amount, row.currency),
  },
  {
    header: 'Fee',
    className: 'tabular-nums text-slate-600',
    cell: (row) => formatMoney(row.fee, row.currency),
  },
  {
    header: 'Net',
    className: 'font-medium tabular-nums',
    cell: (row) => formatMoney(row.net, row.currency),
  },
  { header: 'Status', cell: (row) => <StatusBadge status={row.status} /> },
  {
    header: 'Available on',
    className: 'whitespace-nowrap text-slate-600',
    cell: (row) => formatDate(row.available_on),
  },
  { header: 'Source', className: 'font-mono text-xs text-slate-600', cell: (row) => row.source },
];

/** Table props of the balance transactions list (for DataTable or Table). */
export const balanceTransactionsTable = {
  columns: balanceTransactionColumns,
  caption: 'Balance transactions',
  testId: 'balance-transactions',
  minWidth: '40rem',
  rowProps: (row: BalanceTransactionResource) => ({ 'data-balance-transaction-id': row.id }),
} as const;
