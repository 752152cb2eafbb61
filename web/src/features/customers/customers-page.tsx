import type { CustomerResource } from '@expe/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CreditCard } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { DataTable } from '../../components/data-table';
import { Empty, QueryState } from '../../components/states';
import { useToast } from '../../components/toast';
import { Button, Card, PageHeader, TextField } from '../../components/ui';
import {
  createCustomer,
  customerKeys,
  detachSavedCard,
  listCustomers,
  listSavedCards,
} from './api';
import { customersTable } from './components/customers-table';
import { RequireKey } from '../merchants';
import type { SessionKey } from '../../lib/merchant-keys';
import { usePager } from '../../lib/use-pager';

function NewCustomerForm({ apiKey }: { apiKey: SessionKey }) {
  const toast = useToast();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: '', email: '' });
  const create = useMutation({
    mutationFn: () =>
      createCustomer(apiKey.secret, {
        ...(form.name ? { name: form.name } : {}),
        ...(form.email ? { email: form.email } : {}),
      }),
    onSuccess: (customer) => {
      toast.success(`Created ${customer.name ?? customer.id}`);
      setForm({ name: '', email: '' });
      void queryClient.invalidateQueries({ queryKey: ['customers', apiKey.id] });
    },
    onError: toast.error,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Card title="New customer">
      <form className="grid gap-3 sm:grid-cols-3" onSubmit={submit}>
        <TextField
          label="Customer name"
          name="name"
          value={form.name}
          onChange={(event) => setForm({ ...form, name: event.target.value })}
        />
        <TextField
          label="Customer email"
          name="email"
          type="email"
          value={form.email}
          onChange={(event) => setForm({ ...form, email: event.target.value })}
        />
        <div className="flex items-end">
          <Button type="submit" className="w-full" busy={create.isPending}>
            Create customer
          </Button>
        </div>
      </form>
    </Card>
  );
}

function SavedCards({ apiKey, customer }: { apiKey: SessionKey; customer: CustomerResource }) {
  const toast = useToast();
  const queryClient = useQueryClient();
  const cards = useQuery({
    queryKey: customerKeys.cards(apiKey.id, customer.id),
    queryFn: () => listSavedCards(apiKey.secret, customer.id),
  });
  const detach = useMutation({
    mutationFn: (id: string) => detachSavedCard(apiKey.secret, id),
    onSuccess: (card) => {
      toast.success(`Detached the card ending ${card.card.last4}`);
      void queryClient.invalidateQueries({
        queryKey: customerKeys.cards(apiKey.id, customer.id),
      });
    },
    onError: toast.error,
  });
  return (
    <Card title={`Saved cards of ${customer.name ?? customer.email ?? customer.id}`}>
      <QueryState query={cards}>
        {(page) =>
          page.data.length === 0 ? (
            <Empty title="No saved cards">
              A payment with this customer and setup_future_usage saves the card it is paid with.
            </Empty>
          ) : (
            <ul className="divide-y divide-slate-100" data-testid="saved-cards">
              {page.data.map((card) => (
                <li key={card.id} className="flex flex-wrap items-center gap-3 py-3">
                  <CreditCard className="h-5 w-5 text-slate-500" aria-hidden="true" />
                  <span className="font-medium capitalize">{card.card.brand}</span>
                  <span className="font-mono tabular-nums">•••• {card.card.last4}</span>
                  <span className="text-sm text-slate-600">
                    expires {String(card.card.exp_month).padStart(2, '0')}/{card.card.exp_year}
                  </span>
                  <code className="text-xs text-slate-500">{card.id}</code>
                  <Button
                    variant="secondary"
                    className="ml-auto"
                    busy={detach.isPending && detach.variables === card.id}
                    onClick={() => detach.mutate(card.id)}
                  >
                    Detach
                  </Button>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </Card>
  );
}

function CustomersList({ apiKey }: { apiKey: SessionKey }) {
  const pager = usePager(apiKey.id);
  const [selected, setSelected] = useState<CustomerResource | null>(null);
  const customers = useQuery({
    queryKey: customerKeys.list(apiKey.id, pager.startingAfter),
    queryFn: () => listCustomers(apiKey.secret, pager.startingAfter),
  });
  return (
    <>
      <Card title="Customers">
        <DataTable
          query={customers}
          pager={pager}
          empty={
            <Empty title="No customers yet">Create one above or with POST /v1/customers.</Empty>
          }
          {...customersTable(selected?.id, setSelected)}
        />
      </Card>
      {selected && <SavedCards apiKey={apiKey} customer={selected} />}
    </>
  );
}

export function CustomersPage() {
  return (
    <div className="space-y-6">
      <PageHeader
        title="Customers"
        description="Customers of the chosen project and mode, and the cards saved on them."
      />
      <RequireKey picker>
        {(key) => (
          <>
            <NewCustomerForm apiKey={key} />
            <CustomersList apiKey={key} />
          </>
        )}
      </RequireKey>
    </div>
  );
}
