import { ArrowRight, Code2, QrCode, ShieldCheck, Webhook, Zap, Wallet } from 'lucide-react';
import { Link, Navigate } from 'react-router';
import { Logo } from '../../components/logo';
import { useSession } from '../../lib/use-session';

const features = [
  {
    icon: Zap,
    title: 'Stripe-shaped API',
    text: 'Payments, refunds, events and idempotency keys, with test and live modes that never mix.',
  },
  {
    icon: QrCode,
    title: 'UPI and QR',
    text: 'Every payment gets a upi:// link and a QR code; sandbox VPAs succeed, fail or stay pending.',
  },
  {
    icon: Webhook,
    title: 'Signed webhooks',
    text: 'HMAC-signed deliveries with retries, backoff, secret rotation and a full attempt log.',
  },
  {
    icon: Wallet,
    title: 'Wallet and P2P',
    text: 'Every user gets a name@expe VPA, a balance and instant transfers by VPA or email.',
  },
  {
    icon: ShieldCheck,
    title: 'Double-entry ledger',
    text: 'Every movement balances to zero, checked by a reconciliation endpoint.',
  },
  {
    icon: Code2,
    title: 'Developer console',
    text: 'Keys, webhooks, a payment simulator, event logs and the API reference in one place.',
  },
];

const sample = `curl https://expe.example/v1/payments \\
  -H "Authorization: Bearer sk_test_…" \\
  -H "Idempotency-Key: order-1042" \\
  -d '{"amount": 49900, "currency": "inr",
       "description": "Blue kurta, size M"}'

# → 201 { "id": "pay_…",
#   "status": "requires_payment_method",
#   "checkout_url": "…/pay/pay_…#…",
#   "upi_uri": "upi://pay?pa=…" }`;

export function LandingPage() {
  const session = useSession();
  if (session.status === 'signed_in') {
    return (
      <Navigate
        to={
          session.user.role === 'merchant'
            ? '/dashboard'
            : session.user.role === 'user'
              ? '/wallet'
              : '/settings'
        }
        replace
      />
    );
  }
  return (
    <div className="space-y-16">
      <section className="grid items-center gap-10 pt-4 lg:grid-cols-2 lg:pt-10">
        <div>
          <p className="mb-4 inline-flex items-center gap-2 rounded-full bg-brand-50 px-3 py-1 text-xs font-medium text-brand-700 ring-1 ring-brand-200">
            Sandbox payments · no real money
          </p>
          <h1 className="text-4xl font-bold tracking-tight sm:text-5xl">
            Accept payments and move money,{' '}
            <span className="text-brand-600">safely in a sandbox</span>.
          </h1>
          <p className="mt-4 text-lg text-slate-600">
            Expe is a payment gateway you run yourself: cards, UPI and a wallet behind one API, with
            webhooks, a hosted checkout page and a dashboard.
          </p>
          <div className="mt-8 flex flex-wrap gap-3">
            <Link
              to="/signup"
              className="inline-flex items-center gap-2 rounded-lg bg-brand-600 px-5 py-3 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
            >
              Start for free <ArrowRight className="h-4 w-4" aria-hidden="true" />
            </Link>
            <a
              href="/docs"
              className="inline-flex items-center gap-2 rounded-lg bg-white px-5 py-3 text-sm font-semibold text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50"
            >
              Read the API docs
            </a>
          </div>
        </div>
        <div className="overflow-hidden rounded-2xl bg-slate-900 shadow-xl ring-1 ring-slate-800">
          <div className="flex items-center gap-2 border-b border-slate-800 px-4 py-2">
            <span className="h-3 w-3 rounded-full bg-rose-400" aria-hidden="true" />
            <span className="h-3 w-3 rounded-full bg-amber-400" aria-hidden="true" />
            <span className="h-3 w-3 rounded-full bg-emerald-400" aria-hidden="true" />
            <span className="ml-2 text-xs text-slate-400">Create a payment</span>
          </div>
          <pre className="overflow-x-auto p-4 text-xs leading-relaxed text-slate-100 sm:text-sm">
            <code>{sample}</code>
          </pre>
        </div>
      </section>
      <section aria-labelledby="features-heading">
        <h2 id="features-heading" className="mb-6 text-center text-2xl">
          Everything a payment product needs
        </h2>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {features.map(({ icon: Icon, title, text }) => (
            <div key={title} className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
              <span className="mb-3 inline-flex h-10 w-10 items-center justify-center rounded-lg bg-brand-50 text-brand-600">
                <Icon className="h-5 w-5" aria-hidden="true" />
              </span>
              <h3>{title}</h3>
              <p className="mt-1 text-sm text-slate-600">{text}</p>
            </div>
          ))}
        </div>
      </section>
      <section className="flex flex-col items-center gap-4 rounded-2xl bg-gradient-to-br from-brand-600 to-brand-900 px-6 py-10 text-center text-white">
        <Logo size="lg" markOnly />
        <h2 className="text-2xl text-white">Ready in a minute</h2>
        <p className="max-w-xl text-brand-100">
          Sign up as a merchant for keys and a dashboard, or as a person for a wallet with a VPA.
        </p>
        <div className="flex flex-wrap justify-center gap-3">
          <Link
            to="/signup"
            className="rounded-lg bg-white px-5 py-3 text-sm font-semibold text-brand-700 hover:bg-brand-50"
          >
            Create an account
          </Link>
          <Link
            to="/developers/api"
            className="rounded-lg px-5 py-3 text-sm font-semibold text-white ring-1 ring-white/40 hover:bg-white/10"
          >
            Browse endpoints
          </Link>
        </div>
      </section>
    </div>
  );
}
