import type { CheckoutLineItemResource, PaymentResource } from '@expe/contracts';
import {
  CheckCircle2,
  Clock,
  CreditCard,
  Loader2,
  Smartphone,
  Wallet,
  XCircle,
} from 'lucide-react';
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { Logo } from '../../components/logo';
import { ErrorState, Loading } from '../../components/states';
import { Button } from '../../components/ui';
import { LazySignInForm as SignInForm, login } from '../auth';
import { getCheckoutLineItems } from './api';
import { CardForm } from './components/card-form';
import { UpiForm } from './components/upi-form';
import { confirmPayment, getCheckoutPayment, type ConfirmBody } from '../payments';
import { getWallet } from '../wallet';
import { ApiError, errorMessage } from '../../lib/api';
import { formatMoney, isHttpUrl } from '../../lib/format';
import { useRealtimeChannel } from '../../lib/realtime-channel';
import { useResource, type Resource } from '../../lib/use-resource';
import { getAccessToken } from '../../lib/session';
import { useSession } from '../../lib/use-session';

// Loaded when shown (the UPI tab; the wallet tab's sign-in form too): the first download stays small.
const QRCodeSVG = lazy(() =>
  import('qrcode.react').then((module) => ({ default: module.QRCodeSVG })),
);

type Method = 'card' | 'upi' | 'wallet';
interface Failure {
  code: string;
  message: string;
}

function Shell({
  children,
  payment,
  items,
}: {
  children: ReactNode;
  payment?: PaymentResource;
  /** A Checkout Session's cart, shown instead of the payment's one-line description. */
  items?: CheckoutLineItemResource[];
}) {
  return (
    <div className="flex min-h-screen flex-col items-center bg-slate-100 px-4 py-6 sm:py-12">
      <main className="w-full max-w-md">
        <div className="overflow-hidden rounded-2xl bg-white shadow-lg ring-1 ring-slate-200">
          {payment && (
            <div className="bg-gradient-to-br from-brand-600 to-brand-900 px-6 py-5 text-white">
              <p className="text-sm text-brand-100">
                {payment.merchant?.name ?? 'Merchant'} {payment.livemode ? '' : '· test mode'}
              </p>
              <p className="mt-1 text-3xl font-semibold tabular-nums" data-testid="checkout-amount">
                {formatMoney(payment.amount, payment.currency)}
              </p>
              {items?.length ? (
                <ul className="mt-2 space-y-0.5 text-sm text-brand-100" data-testid="line-items">
                  {items.map((item) => (
                    <li key={item.id} className="flex justify-between gap-4">
                      <span>
                        {item.description}
                        {item.quantity > 1 ? ` × ${item.quantity}` : ''}
                      </span>
                      <span className="tabular-nums">
                        {formatMoney(item.amount_total, item.currency)}
                      </span>
                    </li>
                  ))}
                </ul>
              ) : (
                payment.description && (
                  <p className="mt-1 text-sm text-brand-100">{payment.description}</p>
                )
              )}
            </div>
          )}
          <div className="p-6">{children}</div>
        </div>
        <p className="mt-6 flex items-center justify-center gap-2 text-xs text-slate-600">
          Secured by <Logo size="sm" /> · sandbox, no real money
        </p>
      </main>
    </div>
  );
}

/**
 * The challenge page belongs to this hosted checkout: open it on the origin this page was served
 * from (the API may name another public origin for it).
 */
function sameOriginPath(url: string): string {
  const parsed = new URL(url, window.location.href);
  return parsed.pathname + parsed.hash;
}

function ReturnLink({ payment }: { payment: PaymentResource }) {
  // Only http(s): a javascript: or data: return_url must never become a link.
  if (!isHttpUrl(payment.return_url)) return null;
  return (
    <a
      href={payment.return_url}
      className="inline-flex w-full items-center justify-center rounded-lg bg-brand-600 px-3.5 py-2.5 text-sm font-medium text-white hover:bg-brand-700"
    >
      Return to {payment.merchant?.name ?? 'the merchant'}
    </a>
  );
}

function Outcome({
  tone,
  title,
  children,
}: {
  tone: 'success' | 'failure' | 'waiting' | 'closed';
  title: string;
  children?: ReactNode;
}) {
  const icon =
    tone === 'success' ? (
      <CheckCircle2 className="h-14 w-14 text-emerald-600" aria-hidden="true" />
    ) : tone === 'failure' ? (
      <XCircle className="h-14 w-14 text-rose-600" aria-hidden="true" />
    ) : tone === 'waiting' ? (
      <Clock className="h-14 w-14 text-amber-500" aria-hidden="true" />
    ) : (
      <XCircle className="h-14 w-14 text-slate-400" aria-hidden="true" />
    );
  return (
    <div
      role="status"
      data-testid={`checkout-${tone}`}
      className="flex flex-col items-center gap-3 text-center"
    >
      {icon}
      <h1 className="text-xl sm:text-2xl">{title}</h1>
      {children}
    </div>
  );
}

function WalletPay({
  payment,
  onPay,
}: {
  payment: PaymentResource;
  onPay: (body: Omit<ConfirmBody, 'client_secret'>, token: string | null) => Promise<void>;
}) {
  const session = useSession();
  const isPayer = session.status === 'signed_in' && session.user.role === 'user';
  const wallet = useResource('wallet', isPayer ? getWallet : null);
  const [busy, setBusy] = useState(false);
  if (session.status === 'loading') return <Loading />;
  if (!isPayer) {
    return (
      <div className="space-y-3">
        <p className="text-sm text-slate-600">Sign in to your Expe wallet to pay.</p>
        {session.status === 'signed_in' && (
          <p className="text-sm text-amber-700">
            You are signed in as a {session.user.role}; sign in with a wallet account instead.
          </p>
        )}
        <Suspense fallback={<Loading />}>
          <SignInForm submitLabel="Sign in to pay" onSubmit={login} onDone={() => undefined} />
        </Suspense>
      </div>
    );
  }
  const short = wallet.data ? wallet.data.balance < payment.amount : false;
  return (
    <div className="space-y-4">
      <div className="rounded-lg bg-slate-50 p-3 text-sm ring-1 ring-slate-200">
        <p>
          Paying as <strong>{session.user.vpa}</strong>
        </p>
        <p className="text-slate-600">
          Balance: {wallet.data ? formatMoney(wallet.data.balance, wallet.data.currency) : '…'}
        </p>
      </div>
      {short && (
        <p className="text-sm text-rose-700">Not enough money in your wallet. Top it up first.</p>
      )}
      <Button
        className="w-full py-2.5"
        busy={busy}
        disabled={short}
        onClick={() => {
          setBusy(true);
          void onPay({ method: 'wallet' }, getAccessToken()).finally(() => setBusy(false));
        }}
      >
        Pay {formatMoney(payment.amount, payment.currency)} from wallet
      </Button>
    </div>
  );
}

function Methods({
  payment,
  resource,
  clientSecret,
  onFailure,
}: {
  payment: PaymentResource;
  resource: Resource<PaymentResource>;
  clientSecret: string;
  onFailure: (failure: Failure) => void;
}) {
  const [method, setMethod] = useState<Method>('card');
  const [error, setError] = useState<string | null>(null);
  const payLabel = `Pay ${formatMoney(payment.amount, payment.currency)}`;
  const pay = async (body: Omit<ConfirmBody, 'client_secret'>, token?: string | null) => {
    setError(null);
    try {
      const paid = await confirmPayment(
        payment.id,
        { client_secret: clientSecret, ...body },
        token,
      );
      resource.set(paid);
    } catch (failure) {
      if (
        failure instanceof ApiError &&
        (failure.status === 402 || failure.type === 'card_error')
      ) {
        onFailure({ code: failure.code, message: failure.message });
      } else if (failure instanceof ApiError && failure.status === 409) {
        await resource.reload();
      } else {
        setError(errorMessage(failure));
      }
    }
  };
  const tabs: { id: Method; label: string; icon: ReactNode }[] = [
    { id: 'card', label: 'Card', icon: <CreditCard className="h-4 w-4" aria-hidden="true" /> },
    { id: 'upi', label: 'UPI', icon: <Smartphone className="h-4 w-4" aria-hidden="true" /> },
    { id: 'wallet', label: 'Expe wallet', icon: <Wallet className="h-4 w-4" aria-hidden="true" /> },
  ];
  return (
    <div className="space-y-5">
      <div
        role="tablist"
        aria-label="Payment method"
        className="grid grid-cols-3 gap-1 rounded-lg bg-slate-100 p-1"
      >
        {tabs.map((tab) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            id={`tab-${tab.id}`}
            aria-selected={method === tab.id}
            aria-controls={`panel-${tab.id}`}
            onClick={() => setMethod(tab.id)}
            className={`flex items-center justify-center gap-1.5 rounded-md px-2 py-2 text-sm font-medium ${method === tab.id ? 'bg-white text-slate-900 shadow-sm' : 'text-slate-600'}`}
          >
            {tab.icon}
            {tab.label}
          </button>
        ))}
      </div>
      {error && (
        <p
          role="alert"
          className="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-700 ring-1 ring-rose-200"
        >
          {error}
        </p>
      )}
      <div role="tabpanel" id={`panel-${method}`} aria-labelledby={`tab-${method}`}>
        {method === 'card' && (
          <CardForm payLabel={payLabel} onSubmit={(card) => pay({ method: 'card', card })} />
        )}
        {method === 'upi' && (
          <div className="space-y-5">
            <UpiForm payLabel={payLabel} onSubmit={(vpa) => pay({ method: 'upi', upi: { vpa } })} />
            {payment.upi_uri && (
              <div className="flex flex-col items-center gap-2 border-t border-slate-200 pt-4 text-center">
                <p className="text-sm text-slate-600">Or scan with any UPI app</p>
                <div className="rounded-lg bg-white p-2 ring-1 ring-slate-200">
                  <Suspense fallback={<div className="h-40 w-40" />}>
                    <QRCodeSVG value={payment.upi_uri} size={160} title="UPI payment QR code" />
                  </Suspense>
                </div>
                <a href={payment.upi_uri} className="text-sm font-medium text-brand-700 underline">
                  Open in a UPI app
                </a>
              </div>
            )}
          </div>
        )}
        {method === 'wallet' && (
          <WalletPay payment={payment} onPay={(body, token) => pay(body, token)} />
        )}
      </div>
    </div>
  );
}

/** The hosted checkout of payment `id`; `clientSecret` comes from the link's fragment. */
export function Checkout({
  id,
  clientSecret,
  checkoutSessionId,
}: {
  id: string;
  clientSecret: string;
  /** The Checkout Session this payment is the cart of (`?checkout_session=` in its url). */
  checkoutSessionId?: string | undefined;
}) {
  const [failure, setFailure] = useState<Failure | null>(null);
  const lineItems = useResource(
    `${checkoutSessionId ?? ''}#items`,
    checkoutSessionId && clientSecret
      ? () => getCheckoutLineItems(checkoutSessionId, clientSecret)
      : null,
  );
  // No TanStack Query here: this page is its own small entry (checkout.html).
  const payment = useResource(
    `${id}#${clientSecret}`,
    clientSecret ? () => getCheckoutPayment(id, clientSecret) : null,
  );
  const terminal =
    payment.data && ['succeeded', 'canceled', 'expired'].includes(payment.data.status);
  useRealtimeChannel({
    channel: clientSecret && !terminal ? `payment:${id}` : null,
    credentials: () => ({ client_secret: clientSecret }),
    onChange: () => void payment.reload(),
  });
  // A paid Checkout Session sends the shopper back to its success_url (the payment's return_url,
  // the session id filled in), as Stripe's hosted checkout does. Only http(s), never javascript:.
  const successUrl =
    checkoutSessionId && payment.data?.status === 'succeeded' ? payment.data.return_url : null;
  useEffect(() => {
    if (successUrl && isHttpUrl(successUrl)) window.location.assign(successUrl);
  }, [successUrl]);

  if (!clientSecret) {
    return (
      <Shell>
        <ErrorState
          error={
            new Error(
              'This payment link is incomplete: open the full checkout link from the merchant.',
            )
          }
        />
      </Shell>
    );
  }
  if (payment.error) {
    const missing =
      payment.error instanceof ApiError &&
      (payment.error.status === 404 || payment.error.status === 401);
    return (
      <Shell>
        <ErrorState
          error={
            missing
              ? new Error('This payment does not exist or the link is not valid.')
              : payment.error
          }
          onRetry={missing ? undefined : () => void payment.reload()}
        />
      </Shell>
    );
  }
  const data = payment.data;
  if (!data)
    return (
      <Shell>
        <Loading label="Loading payment…" />
      </Shell>
    );
  let body: ReactNode;
  if (data.status === 'succeeded') {
    body = (
      <Outcome tone="success" title="Payment successful">
        <p className="text-sm text-slate-600">
          {formatMoney(data.amount, data.currency)} paid to {data.merchant?.name ?? 'the merchant'}
          {data.method ? ` by ${data.method}` : ''}.
        </p>
        <p className="font-mono text-xs text-slate-500">{data.id}</p>
        <ReturnLink payment={data} />
      </Outcome>
    );
  } else if (data.status === 'requires_action' && data.next_action) {
    body = (
      <Outcome tone="waiting" title="Authentication required">
        <p className="text-sm text-slate-600">
          Your bank asks you to confirm this payment (3-D Secure).
        </p>
        <a
          href={sameOriginPath(data.next_action.redirect_to_url.url)}
          data-testid="authenticate-link"
          className="inline-flex w-full items-center justify-center rounded-lg bg-brand-600 px-3.5 py-2.5 text-sm font-medium text-white hover:bg-brand-700"
        >
          Continue to your bank
        </a>
      </Outcome>
    );
  } else if (data.status === 'requires_capture') {
    body = (
      <Outcome tone="success" title="Payment authorized">
        <p className="text-sm text-slate-600">
          {formatMoney(data.amount, data.currency)} is reserved for{' '}
          {data.merchant?.name ?? 'the merchant'}, who takes it when your order is ready.
        </p>
        <p className="font-mono text-xs text-slate-500">{data.id}</p>
        <ReturnLink payment={data} />
      </Outcome>
    );
  } else if (data.status === 'processing') {
    body = (
      <Outcome tone="waiting" title="Waiting for approval">
        <p className="text-sm text-slate-600">
          Approve the request in your UPI app. This page updates by itself.
        </p>
        <Loader2 className="h-6 w-6 animate-spin text-brand-600" aria-hidden="true" />
      </Outcome>
    );
  } else if (data.status === 'canceled' || data.status === 'expired') {
    body = (
      <Outcome
        tone="closed"
        title={data.status === 'canceled' ? 'Payment canceled' : 'Payment expired'}
      >
        <p className="text-sm text-slate-600">
          This payment can no longer be paid. Ask the merchant for a new link.
        </p>
        <ReturnLink payment={data} />
      </Outcome>
    );
  } else if (failure) {
    body = (
      <Outcome tone="failure" title="Payment failed">
        <p className="text-sm text-slate-700" data-testid="failure-reason">
          {failure.message}
        </p>
        <p className="font-mono text-xs text-slate-500">{failure.code}</p>
        <Button className="w-full" onClick={() => setFailure(null)}>
          Try again
        </Button>
      </Outcome>
    );
  } else {
    body = (
      <>
        {data.last_payment_error && (
          <p
            role="alert"
            className="mb-4 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-amber-200"
          >
            The last attempt failed: {data.last_payment_error.message}
          </p>
        )}
        <Methods
          payment={data}
          resource={payment}
          clientSecret={clientSecret}
          onFailure={setFailure}
        />
      </>
    );
  }
  return (
    <Shell payment={data} items={lineItems.data?.data}>
      {body}
    </Shell>
  );
}
