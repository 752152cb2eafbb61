import type {
  CreatePaymentInput,
  CreateRefundInput,
  EventResource,
  PaymentResource,
  RefundResource,
  z,
  timelineEntrySchema,
  balanceSchema,
} from '@expe/contracts';
import { api, withQuery, type ListPage } from '../../lib/api';

export type TimelineEntry = z.infer<typeof timelineEntrySchema>;
export type Balance = z.infer<typeof balanceSchema>;

export interface PaymentFilters {
  status?: string;
  from?: number;
  to?: number;
}

/** Query keys include the key id: another project or mode is another cache entry. */
export const paymentKeys = {
  all: ['payments'] as const,
  list: (keyId: string, filters: PaymentFilters, cursor?: string, limit = 10) =>
    ['payments', keyId, 'list', filters, cursor ?? 'first', limit] as const,
  one: (keyId: string, id: string) => ['payments', keyId, 'one', id] as const,
  timeline: (keyId: string, id: string) => ['payments', keyId, 'timeline', id] as const,
  refunds: (keyId: string, id: string) => ['payments', keyId, 'refunds', id] as const,
  balance: (keyId: string) => ['payments', keyId, 'balance'] as const,
  events: (keyId: string, type: string, cursor?: string) =>
    ['payments', keyId, 'events', type, cursor ?? 'first'] as const,
  checkout: (id: string) => ['checkout', id] as const,
};

const withKey = (secret: string) => ({ bearer: secret });

export function listPayments(
  secret: string,
  filters: PaymentFilters,
  startingAfter?: string,
  limit = 10,
) {
  return api<ListPage<PaymentResource>>('/v1/payments', {
    auth: withKey(secret),
    query: {
      limit,
      starting_after: startingAfter,
      status: filters.status,
      'created[gte]': filters.from,
      'created[lte]': filters.to,
    },
  });
}

export const getPayment = (secret: string, id: string) =>
  api<PaymentResource>(`/v1/payments/${id}`, { auth: withKey(secret) });

export const getTimeline = (secret: string, id: string) =>
  api<ListPage<TimelineEntry>>(`/v1/payments/${id}/timeline`, { auth: withKey(secret) });

export const createPayment = (secret: string, input: CreatePaymentInput) =>
  api<PaymentResource>('/v1/payments', { method: 'POST', body: input, auth: withKey(secret) });

export const cancelPayment = (secret: string, id: string) =>
  api<PaymentResource>(`/v1/payments/${id}/cancel`, { method: 'POST', auth: withKey(secret) });

/** Capture an authorized payment (capture_method manual); without an amount, all of it. */
export const capturePayment = (secret: string, id: string, amountToCapture?: number) =>
  api<PaymentResource>(`/v1/payments/${id}/capture`, {
    method: 'POST',
    body: amountToCapture === undefined ? {} : { amount_to_capture: amountToCapture },
    auth: withKey(secret),
  });

export const listRefunds = (secret: string, paymentId: string) =>
  api<ListPage<RefundResource>>('/v1/refunds', {
    auth: withKey(secret),
    query: { payment: paymentId, limit: 100 },
  });

export const createRefund = (secret: string, input: CreateRefundInput) =>
  api<RefundResource>('/v1/refunds', { method: 'POST', body: input, auth: withKey(secret) });

export const getBalance = (secret: string) =>
  api<Balance>('/v1/balance', { auth: withKey(secret) });

export const listEvents = (secret: string, type: string, startingAfter?: string) =>
  api<ListPage<EventResource>>('/v1/events', {
    auth: withKey(secret),
    query: { limit: 20, type: type || undefined, starting_after: startingAfter },
  });

/** The checkout page's read: authorized by the payment's client_secret, no key. */
export const getCheckoutPayment = (id: string, clientSecret: string) =>
  api<PaymentResource>(withQuery(`/v1/payments/${id}`, { client_secret: clientSecret }), {
    auth: 'none',
  });

export interface ConfirmBody {
  client_secret: string;
  method: 'wallet' | 'card' | 'upi';
  card?: { number: string; exp_month: number; exp_year: number; cvc: string };
  upi?: { vpa: string };
}

/** Confirm from the checkout side; `payerToken` authorizes a wallet payment. */
export const confirmPayment = (id: string, body: ConfirmBody, payerToken?: string | null) =>
  api<PaymentResource>(`/v1/payments/${id}/confirm`, {
    method: 'POST',
    body,
    auth: payerToken ? { bearer: payerToken } : 'none',
  });
