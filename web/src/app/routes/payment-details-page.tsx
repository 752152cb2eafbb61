import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowLeft, ExternalLink } from 'lucide-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Modal } from '../../components/modal';
import { Empty, QueryState } from '../../components/states';
import { useToast } from '../../components/toast';
import { Button, Card, PageHeader, StatusBadge } from '../../components/ui';
import { RequireKey } from '../../features/merchants/components/key-picker';
import {
  cancelPayment,
  capturePayment,
  createRefund,
  getPayment,
  getTimeline,
  listRefunds,
  paymentKeys,
} from '../../features/payments/api';
import { CaptureForm } from '../../features/payments/components/capture-form';
import { RefundForm } from '../../features/payments/components/refund-form';
import { listAttempts, listEndpoints, webhookKeys } from '../../features/webhooks/api';
import { formatDate, formatMoney, titleCase } from '../../lib/format';
import type { SessionKey } from '../../lib/merchant-keys';
import { useRealtime } from '../../lib/realtime';
import { getAccessToken } from '../../lib/session';
import type { WebhookDeliveryAttemptResource } from '@expe/contracts';

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 break-words text-sm text-slate-900">{children}</dd>
    </div>
  );
}

/** Attempts of every endpoint that concern this payment's events. */
function PaymentDeliveries({ apiKey, eventIds }: { apiKey: SessionKey; eventIds: string[] }) {
  const deliveries = useQuery({
    queryKey: [...webhookKeys.endpoints(apiKey.id), 'for-events', eventIds],
    queryFn: async () => {
      const endpoints = await listEndpoints(apiKey.secret);
      const pages = await Promise.all(
        endpoints.data.map((endpoint) =>
          listAttempts(apiKey.secret, endpoint.id, undefined, undefined, 100),
        ),
      );
      const wanted = new Set(eventIds);
      return pages.flatMap((page) => page.data).filter((attempt) => wanted.has(attempt.event.id));
    },
    enabled: eventIds.length > 0,
    // Deliveries land a moment after their event; keep the list current while it is open.
    refetchInterval: 5_000,
  });
  if (eventIds.length === 0) return <Empty title="No events yet" />;
  return (
    <QueryState query={deliveries}>
      {(attempts: WebhookDeliveryAttemptResource[]) =>
        attempts.length === 0 ? (
          <Empty title="No webhook deliveries">
            Add an endpoint in the developer console to receive these events.
          </Empty>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="payment-deliveries">
            {attempts.map((attempt) => (
              <li key={attempt.id} className="flex flex-wrap items-center gap-2 py-2">
                <StatusBadge status={attempt.outcome} />
                <span className="font-mono text-xs">{attempt.event.type}</span>
                <span className="text-slate-500">
                  #{attempt.attempt} → {attempt.status_code ?? 'no response'}
                </span>
                <span className="ml-auto text-xs text-slate-500">
                  {formatDate(attempt.created)}
                </span>
              </li>
            ))}
          </ul>
        )
      }
    </QueryState>
  );
}

function PaymentDetails({ apiKey, id }: { apiKey: SessionKey; id: string }) {
  const toast = useToast();
  const queryClient = useQueryClient();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const payment = useQuery({
    queryKey: paymentKeys.one(apiKey.id, id),
    queryFn: () => getPayment(apiKey.secret, id),
  });
  const timeline = useQuery({
    queryKey: paymentKeys.timeline(apiKey.id, id),
    queryFn: () => getTimeline(apiKey.secret, id),
  });
  const refunds = useQuery({
    queryKey: paymentKeys.refunds(apiKey.id, id),
    queryFn: () => listRefunds(apiKey.secret, id),
  });
  useRealtime({
    channel: `payment:${id}`,
    // Over the socket the person's session sees their merchant's payments.
    credentials: () => ({ token: getAccessToken() }),
    invalidate: [['payments', apiKey.id], webhookKeys.all],
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['payments', apiKey.id] });

  return (
    <QueryState query={payment}>
      {(data) => {
        const refundable = data.amount_received - data.amount_refunded;
        return (
          <div className="space-y-6">
            <PageHeader
              title={formatMoney(data.amount, data.currency)}
              description={<span className="font-mono">{data.id}</span>}
              actions={
                <>
                  <StatusBadge status={data.status} />
                  {['requires_payment_method', 'requires_action'].includes(data.status) && (
                    <Button variant="secondary" onClick={() => setConfirmCancel(true)}>
                      Cancel payment
                    </Button>
                  )}
                  <a
                    href={data.checkout_url}
                    target="_blank"
                    rel="noreferrer"
                    className="inline-flex items-center gap-1 rounded-lg px-3 py-2 text-sm font-medium text-brand-700 hover:bg-brand-50"
                  >
                    Checkout <ExternalLink className="h-4 w-4" aria-hidden="true" />
                  </a>
                </>
              }
            />
            {data.status === 'requires_capture' && (
              <Card title="Authorized: capture or release">
                <CaptureForm
                  currency={data.currency}
                  capturable={data.amount_capturable}
                  onCapture={async (amountToCapture) => {
                    const captured = await capturePayment(apiKey.secret, data.id, amountToCapture);
                    toast.success(
                      `Captured ${formatMoney(captured.amount_received, captured.currency)}`,
                    );
                    await refresh();
                  }}
                  onCancel={() => setConfirmCancel(true)}
                />
              </Card>
            )}
            <Card>
              <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
                <Detail label="Status">
                  <span data-testid="payment-status">{data.status}</span>
                </Detail>
                <Detail label="Refunded">{formatMoney(data.amount_refunded, data.currency)}</Detail>
                <Detail label="Received">{formatMoney(data.amount_received, data.currency)}</Detail>
                <Detail label="Method">{data.method ?? '—'}</Detail>
                <Detail label="Created">{formatDate(data.created)}</Detail>
                <Detail label="Description">{data.description ?? '—'}</Detail>
                <Detail label="Customer">{data.customer_email ?? '—'}</Detail>
                <Detail label="Mode">{data.livemode ? 'live' : 'test'}</Detail>
                <Detail label="Last error">
                  {data.last_payment_error
                    ? `${data.last_payment_error.message} (${data.last_payment_error.decline_code ?? data.last_payment_error.code})`
                    : '—'}
                </Detail>
              </dl>
            </Card>
            <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
              <Card title="Timeline">
                <QueryState query={timeline}>
                  {(page) =>
                    page.data.length === 0 ? (
                      <Empty title="Nothing happened yet" />
                    ) : (
                      <ol
                        className="relative space-y-4 border-l border-slate-200 pl-5"
                        data-testid="timeline"
                      >
                        {page.data.map((entry) => (
                          <li key={entry.event + entry.type} className="relative">
                            <span
                              className="absolute -left-[1.6rem] top-1 h-2.5 w-2.5 rounded-full bg-brand-600 ring-4 ring-white"
                              aria-hidden="true"
                            />
                            <p className="text-sm font-medium">
                              {titleCase(entry.type.replace('.', ' '))}
                            </p>
                            <p className="text-xs text-slate-500">
                              {formatDate(entry.created)} ·{' '}
                              <span className="font-mono">{entry.event}</span>
                            </p>
                          </li>
                        ))}
                      </ol>
                    )
                  }
                </QueryState>
              </Card>
              <Card title="Refunds">
                <QueryState query={refunds}>
                  {(page) => (
                    <div className="space-y-4">
                      {page.data.length === 0 ? (
                        <p className="text-sm text-slate-500">No refunds.</p>
                      ) : (
                        <ul className="divide-y divide-slate-100 text-sm" data-testid="refunds">
                          {page.data.map((refund) => (
                            <li key={refund.id} className="flex flex-wrap items-center gap-2 py-2">
                              <span className="font-medium tabular-nums">
                                {formatMoney(refund.amount, refund.currency)}
                              </span>
                              <StatusBadge status={refund.status} />
                              <span className="text-slate-500">
                                {refund.reason ? titleCase(refund.reason) : ''}
                              </span>
                              <span className="ml-auto text-xs text-slate-500">
                                {formatDate(refund.created)}
                              </span>
                            </li>
                          ))}
                        </ul>
                      )}
                      {data.status === 'succeeded' && refundable > 0 ? (
                        <RefundForm
                          paymentId={data.id}
                          currency={data.currency}
                          refundable={refundable}
                          onSubmit={async (input) => {
                            const refund = await createRefund(apiKey.secret, input);
                            toast.success(
                              `Refunded ${formatMoney(refund.amount, refund.currency)}`,
                            );
                            await refresh();
                          }}
                        />
                      ) : (
                        <p className="text-xs text-slate-500">
                          {data.status === 'succeeded'
                            ? 'Fully refunded.'
                            : 'Only succeeded payments can be refunded.'}
                        </p>
                      )}
                    </div>
                  )}
                </QueryState>
              </Card>
            </div>
            <Card title="Webhook deliveries">
              <PaymentDeliveries
                apiKey={apiKey}
                eventIds={[...new Set(timeline.data?.data.map((entry) => entry.event) ?? [])]}
              />
            </Card>
            <Modal
              open={confirmCancel}
              title="Cancel this payment?"
              onClose={() => setConfirmCancel(false)}
            >
              <p className="mb-4 text-sm text-slate-600">
                {data.status === 'requires_capture'
                  ? 'The authorized amount goes back to the customer.'
                  : 'The customer can no longer pay it.'}
              </p>
              <div className="flex justify-end gap-2">
                <Button variant="secondary" onClick={() => setConfirmCancel(false)}>
                  Keep it
                </Button>
                <Button
                  variant="danger"
                  onClick={() => {
                    setConfirmCancel(false);
                    cancelPayment(apiKey.secret, data.id).then(() => refresh(), toast.error);
                  }}
                >
                  Cancel payment
                </Button>
              </div>
            </Modal>
          </div>
        );
      }}
    </QueryState>
  );
}

export function PaymentDetailsPage() {
  const { id = '' } = useParams();
  return (
    <div className="space-y-4">
      <Link
        to="/payments"
        className="inline-flex items-center gap-1 text-sm font-medium text-slate-600 hover:text-brand-700"
      >
        <ArrowLeft className="h-4 w-4" aria-hidden="true" /> Payments
      </Link>
      <RequireKey>{(key) => <PaymentDetails apiKey={key} id={id} />}</RequireKey>
    </div>
  );
}
