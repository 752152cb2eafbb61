import { idSchema, modeSchema } from '../common.js';
import { z } from '../zod.js';
import { internalErrorSchema, internalRoute } from './route.js';

/** Whose a payment is, and nothing else about it. */
export const paymentOwnerSchema = z.object({
  id: idSchema('pay'),
  merchant_id: idSchema('mer'),
  project_id: idSchema('prj'),
  mode: modeSchema,
});
export type PaymentOwner = z.infer<typeof paymentOwnerSchema>;

const paymentParams = z.object({ id: idSchema('pay') });

/**
 * The payments service's internal API: the gateway's WebSocket asks who owns a payment before a
 * merchant may follow it, and checks a checkout page's client_secret; neither answer reveals
 * anything else.
 */
export const paymentsInternalApi = {
  getPaymentOwner: internalRoute({
    service: 'payments',
    method: 'GET',
    path: '/internal/payments/:id',
    callers: ['gateway'],
    params: paymentParams,
    responses: { 200: paymentOwnerSchema, 404: internalErrorSchema },
  }),
  verifyClientSecret: internalRoute({
    service: 'payments',
    method: 'POST',
    path: '/internal/payments/:id/verify-client-secret',
    callers: ['gateway'],
    params: paymentParams,
    body: z.strictObject({ client_secret: z.string().min(10).max(200) }),
    // 400: a client_secret that cannot be one; the gateway answers it as a wrong one.
    responses: { 200: paymentOwnerSchema, 400: internalErrorSchema, 404: internalErrorSchema },
  }),
};
