import type { PaymentResource } from '@expe/contracts';
import type { ReactNode } from 'react';
import { Card } from '../../../components/ui';
import { formatDate, formatMoney } from '../../../lib/format';

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 break-words text-sm text-slate-900">{children}</dd>
    </div>
  );
}

/** The facts of one payment: status, amounts, method, customer, mode and last error. */
export function PaymentSummary({ payment }: { payment: PaymentResource }) {
  return (
    <Card>
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
        <Detail label="Status">
          <span data-testid="payment-status">{payment.status}</span>
        </Detail>
        <Detail label="Refunded">{formatMoney(payment.amount_refunded, payment.currency)}</Detail>
        <Detail label="Received">{formatMoney(payment.amount_received, payment.currency)}</Detail>
        <Detail label="Method">{payment.method ?? '—'}</Detail>
        <Detail label="Created">{formatDate(payment.created)}</Detail>
        <Detail label="Description">{payment.description ?? '—'}</Detail>
        <Detail label="Customer">{payment.customer_email ?? '—'}</Detail>
        <Detail label="Mode">{payment.livemode ? 'live' : 'test'}</Detail>
        <Detail label="Last error">
          {payment.last_payment_error
            ? `${payment.last_payment_error.message} (${payment.last_payment_error.decline_code ?? payment.last_payment_error.code})`
            : '—'}
        </Detail>
      </dl>
    </Card>
  );
}
