import type { PaymentResource } from '@expe/contracts';
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
