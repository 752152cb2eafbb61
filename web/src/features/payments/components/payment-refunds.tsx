import type { CreateRefundInput, PaymentResource, RefundResource } from '@expe/contracts';
import { QueryState } from '../../../components/states';
import { Card, StatusBadge } from '../../../components/ui';
import type { ListPage } from '../../../lib/api';
import { formatDate, formatMoney, titleCase } from '../../../lib/format';
import { RefundForm } from './refund-form';

/** A payment's refunds, and the form for another while there is money left to refund. */
export function PaymentRefunds({
  payment,
  refunds,
  onRefund,
}: {
  payment: PaymentResource;
  refunds: {
    isPending: boolean;
    error: unknown;
    data: ListPage<RefundResource> | undefined;
    refetch: () => unknown;
  };
  onRefund: (input: CreateRefundInput) => Promise<void>;
}) {
  const refundable = payment.amount_received - payment.amount_refunded;
  return (
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
            {payment.status === 'succeeded' && refundable > 0 ? (
              <RefundForm
                paymentId={payment.id}
                currency={payment.currency}
                refundable={refundable}
                onSubmit={onRefund}
              />
            ) : (
              <p className="text-xs text-slate-500">
                {payment.status === 'succeeded'
                  ? 'Fully refunded.'
                  : 'Only succeeded payments can be refunded.'}
              </p>
            )}
          </div>
        )}
      </QueryState>
    </Card>
  );
}
