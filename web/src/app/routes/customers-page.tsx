import type { CustomerResource } from '@expe/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CreditCard } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Pager } from '../../components/pager';
import { Empty, QueryState } from '../../components/states';
import { useToast } from '../../components/toast';
import { Badge, Button, Card, PageHeader, TextField } from '../../components/ui';
import {
  createCustomer,
  customerKeys,
  detachSavedCard,
  listCustomers,
  listSavedCards,
} from '../../features/customers/api';
import { KeyPicker, RequireKey } from '../../features/merchants/components/key-picker';
import { formatDate } from '../../lib/format';
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
        <QueryState query={customers}>
          {(page) =>
            page.data.length === 0 ? (
              <Empty title="No customers yet">Create one above or with POST /v1/customers.</Empty>
            ) : (
              <>
                <div className="overflow-x-auto">
                  <table className="w-full text-left text-sm" data-testid="customers-table">
                    <thead className="text-xs uppercase text-slate-500">
                      <tr>
                        <th className="py-2 pr-4">Name</th>
                        <th className="py-2 pr-4">Email</th>
                        <th className="py-2 pr-4">Id</th>
                        <th className="py-2 pr-4">Created</th>
                        <th className="py-2" />
                      </tr>
                    </thead>
                    <tbody className="divide-y divide-slate-100">
                      {page.data.map((customer) => (
                        <tr key={customer.id}>
                          <td className="py-2 pr-4 font-medium">{customer.name ?? '—'}</td>
                          <td className="py-2 pr-4">{customer.email ?? '—'}</td>
                          <td className="py-2 pr-4">
                            <code className="text-xs">{customer.id}</code>
                          </td>
                          <td className="py-2 pr-4">{formatDate(customer.created)}</td>
                          <td className="py-2 text-right">
                            {selected?.id === customer.id ? (
                              <Badge tone="brand">shown below</Badge>
                            ) : (
                              <Button variant="secondary" onClick={() => setSelected(customer)}>
                                Saved cards
                              </Button>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <Pager
                  page={pager.page}
                  canGoBack={pager.canGoBack}
                  hasMore={page.has_more}
                  onBack={pager.back}
                  onNext={() => {
                    const last = page.data.at(-1);
                    if (last) pager.next(last.id);
                  }}
                />
              </>
            )
          }
        </QueryState>
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
      <RequireKey>
        {(key) => (
          <>
            <KeyPicker compact />
            <NewCustomerForm apiKey={key} />
            <CustomersList apiKey={key} />
          </>
        )}
      </RequireKey>
    </div>
  );
}
