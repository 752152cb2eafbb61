// The hosted checkout's own entry (checkout.html, served by the gateway for /pay/*): the
// merchant's customer downloads the checkout and nothing of the console: no router, no query
// cache (see the size budget test, e2e/bundle-size.e2e.test.ts).
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { Checkout } from './features/checkout/checkout';
import { restoreSession } from './lib/session';
import './styles.css';

// A signed-in wallet user can pay from the wallet without signing in again.
void restoreSession();

// The 3-D Secure challenge (a payment's next_action) is a page of its own, loaded only there.
const AuthenticationChallenge = lazy(() =>
  import('./features/checkout/components/authentication-challenge').then((module) => ({
    default: module.AuthenticationChallenge,
  })),
);

// A payment link's public page starts a payment of the link, then shows this checkout for it.
const PaymentLinkCheckout = lazy(() =>
  import('./features/payment-links/components/payment-link-checkout').then((module) => ({
    default: module.PaymentLinkCheckout,
  })),
);
const linkId = /^\/pay\/link\/(plink_[0-9a-z]{10,40})\/?$/.exec(window.location.pathname)?.[1];

const id = decodeURIComponent(/^\/pay\/([^/]+)/.exec(window.location.pathname)?.[1] ?? '');
const isChallenge = /^\/pay\/[^/]+\/authenticate\/?$/.test(window.location.pathname);
const clientSecret = decodeURIComponent(window.location.hash.replace(/^#/, ''));

const root = document.getElementById('root');
if (!root) throw new Error('checkout.html has no #root');
createRoot(root).render(
  <StrictMode>
    {linkId ? (
      <Suspense fallback={null}>
        <PaymentLinkCheckout linkId={linkId} />
      </Suspense>
    ) : isChallenge ? (
      <Suspense fallback={null}>
        <AuthenticationChallenge id={id} clientSecret={clientSecret} />
      </Suspense>
    ) : (
      <Checkout
        id={id}
        clientSecret={clientSecret}
        checkoutSessionId={
          new URLSearchParams(window.location.search).get('checkout_session') ?? undefined
        }
      />
    )}
  </StrictMode>,
);
