import { useLocation, useParams } from 'react-router';
import { Checkout } from '../../features/checkout/checkout';

/**
 * `/pay/:id#<client_secret>` inside the app's router (the Vite dev server). The built app serves
 * the same `Checkout` from its own small entry instead (checkout.html, src/checkout-main.tsx),
 * which does not download the router.
 */
export function CheckoutPage() {
  const { id = '' } = useParams();
  const { hash, search } = useLocation();
  return (
    <Checkout
      id={id}
      clientSecret={decodeURIComponent(hash.replace(/^#/, ''))}
      checkoutSessionId={new URLSearchParams(search).get('checkout_session') ?? undefined}
    />
  );
}
