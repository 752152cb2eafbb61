import type { PaymentResource } from '@expe/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ExternalLink } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useToast } from '../../components/toast';
import { Button, Card, PageHeader, StatusBadge } from '../../components/ui';
import { ConsoleNav } from '../console';
import { RequireKey } from '../merchants';
import { confirmPayment, createPayment, getPayment, paymentKeys, type ConfirmBody } from './api';
import { CreatePaymentForm } from './components/create-payment-form';
import { sandboxCards, sandboxVpas } from './sandbox';
import { ApiError, errorMessage } from '../../lib/api';
import { formatMoney } from '../../lib/format';
import type { SessionKey } from '../../lib/merchant-keys';
import { useRealtime } from '../../lib/realtime';

function Outcomes({ apiKey, created }: { apiKey: SessionKey; created: PaymentResource }) {
  const toast = useToast();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const payment = useQuery({
    queryKey: paymentKeys.one(apiKey.id, created.id),
    queryFn: () => getPayment(apiKey.secret, created.id),
    initialData: created,
  });
  useRealtime({
    channel: `payment:${created.id}`,
    credentials: () => ({ client_secret: created.client_secret }),
    invalidate: [paymentKeys.one(apiKey.id, created.id)],
  });
  const current = payment.data;
  const open = current.status === 'requires_payment_method';

  const complete = async (label: string, body: Omit<ConfirmBody, 'client_secret'>) => {
    setBusy(label);
    setResult(null);
    try {
      const paid = await confirmPayment(created.id, {
        client_secret: created.client_secret,
        ...body,
      });
      setResult(`${label}: ${paid.status}`);
    } catch (error) {
      setResult(
        `${label}: ${error instanceof ApiError ? `${error.code} — ${error.message}` : errorMessage(error)}`,
      );
      if (!(error instanceof ApiError) || error.status >= 500) toast.error(error);
    } finally {
      setBusy(null);
      await queryClient.invalidateQueries({ queryKey: ['payments', apiKey.id] });
    }
  };

  return (
    <Card title="Complete it">
      <div className="mb-4 flex flex-wrap items-center gap-3 text-sm">
        <span className="font-semibold">{formatMoney(current.amount, current.currency)}</span>
        <StatusBadge status={current.status} />
        <Link
          className="font-mono text-xs text-brand-700 hover:underline"
          to={`/payments/${current.id}`}
        >
          {current.id}
        </Link>
        <a
          className="ml-auto inline-flex items-center gap-1 font-medium text-brand-700 hover:underline"
          href={current.checkout_url}
          target="_blank"
          rel="noreferrer"
          data-testid="checkout-link"
        >
          Open checkout <ExternalLink className="h-4 w-4" aria-hidden="true" />
        </a>
      </div>
      {result && (
        <p
          role="status"
          className="mb-4 rounded-lg bg-slate-50 px-3 py-2 text-sm ring-1 ring-slate-200"
          data-testid="simulator-result"
        >
          {result}
        </p>
      )}
      <div className="space-y-4">
        <OutcomeButtons
          title="Card"
          columns="sm:grid-cols-2"
          options={sandboxCards.map((card) => ({ value: card.number, outcome: card.outcome }))}
          disabled={!open}
          busy={busy}
          onPick={(number) =>
            void complete(number, {
              method: 'card',
              card: { number, exp_month: 12, exp_year: new Date().getFullYear() + 2, cvc: '123' },
            })
          }
        />
        <OutcomeButtons
          title="UPI"
          columns="sm:grid-cols-3"
          options={sandboxVpas.map((upi) => ({ value: upi.vpa, outcome: upi.outcome }))}
          disabled={!open}
          busy={busy}
          onPick={(vpa) => void complete(vpa, { method: 'upi', upi: { vpa } })}
        />
        {!open && (
          <p className="text-xs text-slate-500">
            This payment is {current.status.replace(/_/g, ' ')}; create another to try a different
            outcome.
          </p>
        )}
      </div>
    </Card>
  );
}

function Simulator({ apiKey }: { apiKey: SessionKey }) {
  const toast = useToast();
  const [created, setCreated] = useState<PaymentResource | null>(null);
  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
      <Card title="Create a test payment">
        <CreatePaymentForm
          onSubmit={async (input) => {
            const payment = await createPayment(apiKey.secret, input);
            setCreated(payment);
            toast.success(`Created ${payment.id}`);
          }}
        />
      </Card>
      {created ? (
        <Outcomes key={created.id} apiKey={apiKey} created={created} />
      ) : (
        <Card title="Complete it">
          <p className="text-sm text-slate-600">
            Create a payment, then pay it here with each sandbox card or UPI address, or open its
            hosted checkout page.
          </p>
        </Card>
      )}
    </div>
  );
}

export function SimulatorPage() {
  return (
    <div>
      <PageHeader
        title="Developers"
        description="Payment simulator: create a payment and complete it with each sandbox outcome."
      />
      <ConsoleNav />
      <RequireKey picker>{(key) => <Simulator apiKey={key} />}</RequireKey>
    </div>
  );
}

/** One kind of sandbox instrument: a button per test value, showing the outcome it gives. */
function OutcomeButtons({
  title,
  columns,
  options,
  disabled,
  busy,
  onPick,
}: {
  title: string;
  /** The grid's columns from the small breakpoint on, e.g. `sm:grid-cols-2`. */
  columns: string;
  options: readonly { value: string; outcome: string }[];
  disabled: boolean;
  /** The value whose payment is being made. */
  busy: string | null;
  onPick: (value: string) => void;
}) {
  return (
    <div>
      <h3 className="mb-2 text-sm">{title}</h3>
      <div className={`grid grid-cols-1 gap-2 ${columns}`}>
        {options.map((option) => (
          <Button
            key={option.value}
            variant="secondary"
            disabled={disabled}
            busy={busy === option.value}
            onClick={() => onPick(option.value)}
          >
            <span className="flex w-full flex-col items-start text-left">
              <span className="font-mono text-xs">{option.value}</span>
              <span className="text-xs font-normal text-slate-500">{option.outcome}</span>
            </span>
          </Button>
        ))}
      </div>
    </div>
  );
}
