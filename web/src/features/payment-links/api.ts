import { api } from '../../lib/api';

export interface PaymentLinkCheckout {
  object: 'payment_link_checkout';
  payment: string;
  client_secret: string;
}

/** What the link's public page calls, without credentials: the payment to pay in checkout. */
export const startPaymentLinkCheckout = (linkId: string) =>
  api<PaymentLinkCheckout>(`/v1/payment_links/${linkId}/checkout`, {
    method: 'POST',
    auth: 'none',
  });
