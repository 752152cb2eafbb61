import { useState } from 'react';
import { ErrorState, Loading } from '../../../components/states';
import { ApiError, errorMessage } from '../../../lib/api';
import { formatMoney } from '../../../lib/format';
import { useResource } from '../../../lib/use-resource';
import { getCheckoutPayment } from '../../payments';
import { authenticatePayment } from '../api';
import { ChallengeFrame, ChallengeQuestion, type ChallengeOutcome } from './challenge-frame';
import { SetupAuthenticationChallenge } from './setup-authentication-challenge';

/**
 * The hosted 3-D Secure challenge (`/pay/:id/authenticate#<client_secret>`, the
 * `next_action.redirect_to_url.url` of a payment or of a SetupIntent, told apart by the id's
 * prefix). A real bank would ask for a one-time password here; the sandbox lets the cardholder
 * pass or fail.
 */
export function AuthenticationChallenge(props: { id: string; clientSecret: string }) {
  return props.id.startsWith('seti_') ? (
    <SetupAuthenticationChallenge {...props} />
  ) : (
    <PaymentAuthenticationChallenge {...props} />
  );
}

/**
 * A payment's challenge: after the answer the payer goes back to the checkout, which shows the
 * outcome and goes on to the merchant's return_url.
 */
function PaymentAuthenticationChallenge({
  id,
  clientSecret,
}: {
  id: string;
  clientSecret: string;
}) {
  const payment = useResource(
    `${id}#${clientSecret}`,
    clientSecret ? () => getCheckoutPayment(id, clientSecret) : null,
  );
  const [sending, setSending] = useState<ChallengeOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const checkoutUrl = `/pay/${encodeURIComponent(id)}#${clientSecret}`;

  const answer = async (outcome: ChallengeOutcome) => {
    setSending(outcome);
    setError(null);
    try {
      await authenticatePayment(id, { client_secret: clientSecret, outcome });
      window.location.assign(checkoutUrl);
    } catch (failure) {
      setSending(null);
      if (failure instanceof ApiError && failure.status === 409) await payment.reload();
      else setError(errorMessage(failure));
    }
  };

  let body;
  if (!clientSecret || payment.error) {
    const missing =
      !clientSecret ||
      (payment.error instanceof ApiError &&
        (payment.error.status === 404 || payment.error.status === 401));
    body = (
      <ErrorState
        error={
          missing
            ? new Error('This authentication link is not valid: go back to the checkout.')
            : payment.error
        }
        onRetry={missing ? undefined : () => void payment.reload()}
      />
    );
  } else if (!payment.data) {
    body = <Loading label="Contacting your bank…" />;
  } else if (payment.data.status !== 'requires_action') {
    body = (
      <div className="space-y-4 text-center" data-testid="challenge-done">
        <p className="text-sm text-slate-600">This payment is not waiting for authentication.</p>
        <a
          href={checkoutUrl}
          className="inline-flex w-full items-center justify-center rounded-lg bg-brand-600 px-3.5 py-2.5 text-sm font-medium text-white hover:bg-brand-700"
        >
          Back to the checkout
        </a>
      </div>
    );
  } else {
    const data = payment.data;
    body = (
      <ChallengeQuestion
        error={error}
        sending={sending}
        onAnswer={(outcome) => void answer(outcome)}
      >
        <dl className="grid grid-cols-2 gap-3 rounded-lg bg-slate-50 p-4 text-sm ring-1 ring-slate-200">
          <dt className="text-slate-500">Merchant</dt>
          <dd className="text-right font-medium">{data.merchant?.name ?? '—'}</dd>
          <dt className="text-slate-500">Amount</dt>
          <dd className="text-right font-medium tabular-nums" data-testid="challenge-amount">
            {formatMoney(data.amount, data.currency)}
          </dd>
        </dl>
        <p className="text-sm text-slate-600">
          Your bank asks you to approve this payment. In the sandbox no code is sent: choose what
          the cardholder does.
        </p>
      </ChallengeQuestion>
    );
  }

  return <ChallengeFrame>{body}</ChallengeFrame>;
}
