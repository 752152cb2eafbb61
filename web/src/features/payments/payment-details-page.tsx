import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowLeft, ExternalLink } from 'lucide-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { QueryState } from '../../components/states';
import { useToast } from '../../components/toast';
import { Button, Card, PageHeader, StatusBadge } from '../../components/ui';
import { RequireKey } from '../merchants';
import {
  cancelPayment,
  capturePayment,
  createRefund,
  getPayment,
  getTimeline,
  listRefunds,
  paymentKeys,
} from './api';
import { CaptureForm } from './components/capture-form';
import { PaymentRefunds } from './components/payment-refunds';
import { PaymentSummary } from './components/payment-summary';
import { PaymentTimeline } from './components/payment-timeline';
import { webhookKeys, PaymentDeliveries } from '../webhooks';
import { formatMoney } from '../../lib/format';
import type { SessionKey } from '../../lib/merchant-keys';
import { useRealtime } from '../../lib/realtime';
import { getAccessToken } from '../../lib/session';

/** One payment: its header and actions, capture, facts, timeline, refunds and deliveries. */
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
    // Over the socket the person's session follows a payment of the project (and mode) it shows.
    credentials: () => ({ token: getAccessToken(), project: apiKey.projectId, mode: apiKey.mode }),
    invalidate: [['payments', apiKey.id], webhookKeys.all],
    resubscribeKey: `${apiKey.projectId}:${apiKey.mode}`,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['payments', apiKey.id] });

  return (
    <QueryState query={payment}>
      {(data) => {
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
            <PaymentSummary payment={data} />
            <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
              <PaymentTimeline timeline={timeline} />
              <PaymentRefunds
                payment={data}
                refunds={refunds}
                onRefund={async (input) => {
                  const refund = await createRefund(apiKey.secret, input);
                  toast.success(`Refunded ${formatMoney(refund.amount, refund.currency)}`);
                  await refresh();
                }}
              />
            </div>
            <Card title="Webhook deliveries">
              <PaymentDeliveries
                apiKey={apiKey}
                eventIds={[...new Set(timeline.data?.data.map((entry) => entry.event) ?? [])]}
              />
            </Card>
            <ConfirmDialog
              open={confirmCancel}
              title={`Cancel the ${formatMoney(data.amount, data.currency)} payment?`}
              onClose={() => setConfirmCancel(false)}
              cancelLabel="Keep it"
              confirmLabel="Cancel payment"
              onConfirm={() => {
                setConfirmCancel(false);
                cancelPayment(apiKey.secret, data.id).then(() => refresh(), toast.error);
              }}
            >
              <code className="break-all font-mono">{data.id}</code>
              {data.description ? ` (${data.description})` : ''}:{' '}
              {data.status === 'requires_capture'
                ? `the ${formatMoney(data.amount_capturable, data.currency)} authorized goes back to the customer.`
                : 'the customer can no longer pay it.'}
            </ConfirmDialog>
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
