import type { CustomerResource } from '@expe/contracts';
import type { Column } from '../../../components/data-table';
import { Badge, Button } from '../../../components/ui';
import { formatDate } from '../../../lib/format';

/** Table props of the customers list; the last column shows one customer's saved cards. */
export function customersTable(
  selectedId: string | undefined,
  onSelect: (customer: CustomerResource) => void,
) {
  const columns: Column<CustomerResource>[] = [
    { header: 'Name', className: 'font-medium', cell: (customer) => customer.name ?? '—' },
    { header: 'Email', cell: (customer) => customer.email ?? '—' },
    { header: 'Id', cell: (customer) => <code className="text-xs">{customer.id}</code> },
    { header: 'Created', cell: (customer) => formatDate(customer.created) },
    {
      header: <span className="sr-only">Saved cards</span>,
      className: 'text-right',
      cell: (customer) =>
        selectedId === customer.id ? (
          <Badge tone="brand">shown below</Badge>
        ) : (
          <Button variant="secondary" onClick={() => onSelect(customer)}>
            Saved cards
          </Button>
        ),
    },
  ];
  return {
    columns,
    caption: 'Customers',
    testId: 'customers-table',
    minWidth: 'none',
  } as const;
}
