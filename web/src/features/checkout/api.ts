import type {
  CheckoutLineItemResource,
  PaymentResource,
  SetupIntentResource,
} from '@expe/contracts';
import { api } from '../../lib/api';

/** The payer's answer to the sandbox's 3-D Secure challenge, authorized by the client secret. */
export const authenticatePayment = (
  id: string,
  body: { client_secret: string; outcome: 'complete' | 'fail' },
) =>
  api<PaymentResource>(`/v1/payments/${id}/authenticate`, {
    method: 'POST',
    body,
    auth: 'none',
  });

/** The cardholder's answer to a SetupIntent's 3-D Secure challenge, authorized by its client secret. */
export const authenticateSetupIntent = (
  id: string,
  body: { client_secret: string; outcome: 'complete' | 'fail' },
) =>
  api<SetupIntentResource>(`/v1/setup_intents/${id}/authenticate`, {
    method: 'POST',
    body,
    auth: 'none',
  });

/** A Checkout Session's line items, read by its hosted page with the payment's client secret. */
export const getCheckoutLineItems = (sessionId: string, clientSecret: string) =>
  api<{ data: CheckoutLineItemResource[] }>(
    `/v1/checkout/sessions/${sessionId}/line_items?limit=100&client_secret=${encodeURIComponent(clientSecret)}`,
    { auth: 'none' },
  );
