import { useEffect, useState } from 'react';
import { Checkout } from '../../checkout';
import { Logo } from '../../../components/logo';
import { ErrorState, Loading } from '../../../components/states';
import { ApiError } from '../../../lib/api';
import { startPaymentLinkCheckout, type PaymentLinkCheckout as Session } from '../api';

// One start per page load, even when React runs the effect twice (StrictMode in development):
// a reusable link would otherwise make two payments.
const started = new Map<string, Promise<Session>>();
const paymentIdPattern = /^pay_[0-9a-z]{10,40}$/;

function start(linkId: string): Promise<Session> {
  let session = started.get(linkId);
  if (!session) {
    session = startPaymentLinkCheckout(linkId);
    started.set(linkId, session);
  }
  return session;
}

function explain(error: unknown): Error {
  if (error instanceof ApiError && error.code === 'payment_link_inactive') {
    return new Error('This payment link is no longer active. Ask the merchant for a new one.');
  }
  if (error instanceof ApiError && error.status === 404) {
    return new Error('This payment link does not exist.');
  }
  return error instanceof Error ? error : new Error('The payment could not be started.');
}

/**
 * The public page of a payment link (`/pay/link/plink_…`): it asks for the link's payment and
 * shows the hosted checkout for it. The page learns only the payment id and its client secret,
 * and the address it moves to is built here from that id (never a URL from an answer), so the
 * link cannot be turned into a redirect elsewhere.
 */
export function PaymentLinkCheckout({ linkId }: { linkId: string }) {
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let isCurrent = true;
    start(linkId)
      .then((next) => {
        if (!isCurrent) return;
        if (!paymentIdPattern.test(next.payment)) throw new Error('Unexpected payment id');
        // A reload now reopens this payment instead of starting another one.
        window.history.replaceState(null, '', `/pay/${next.payment}#${next.client_secret}`);
        setSession(next);
      })
      .catch((reason: unknown) => {
        if (isCurrent) setError(reason);
      });
    return () => {
      isCurrent = false;
    };
  }, [linkId]);

  if (session) return <Checkout id={session.payment} clientSecret={session.client_secret} />;
  return (
    <div className="flex min-h-screen flex-col items-center bg-slate-100 px-4 py-6 sm:py-12">
      <main className="w-full max-w-md rounded-2xl bg-white p-6 shadow-lg ring-1 ring-slate-200">
        {error ? <ErrorState error={explain(error)} /> : <Loading label="Opening checkout…" />}
        <p className="mt-6 flex items-center justify-center gap-2 text-xs text-slate-500">
          Secured by <Logo size="sm" /> · sandbox, no real money
        </p>
      </main>
    </div>
  );
}
