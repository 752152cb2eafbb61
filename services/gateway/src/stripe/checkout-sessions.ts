import {
  StripeError,
  toCheckoutLineItem,
  toCheckoutSession,
  toList,
  toPaymentIntent,
  type ExpeCheckoutLineItem,
  type ExpeCheckoutSession,
  type ExpePayment,
} from '@expe/stripe-compat';
import {
  expectOk,
  isStateConflict,
  listQuery,
  type ExpeList,
  type StripeHandler,
  type StripeRequest,
} from './handler.js';

// A Checkout Session is Expe's own record (POST /v1/checkout/sessions …) with Stripe's id form
// (cs_test_…), so each operation is the Expe call of the same name and the object is renamed.

const sessionPath = (id: string) => `/v1/checkout/sessions/${encodeURIComponent(id)}`;

function missing(request: StripeRequest): StripeError {
  return StripeError.resourceMissing('checkout.session', request.id, 'session');
}

/** The session in Stripe's shape with what `expand[]` names (its PaymentIntent, its line items). */
async function sessionOf(request: StripeRequest, session: ExpeCheckoutSession, prefix = '') {
  const body: Record<string, unknown> = toCheckoutSession(session);
  const expand = (request.params.expand as string[] | undefined) ?? [];
  if (expand.includes(`${prefix}payment_intent`)) {
    const payment = expectOk(
      await request.expe<ExpePayment>(
        'GET',
        `/v1/payments/${encodeURIComponent(session.payment_intent)}`,
      ),
    );
    body.payment_intent = toPaymentIntent(payment);
  }
  if (expand.includes(`${prefix}line_items`)) {
    body.line_items = await lineItemsOf(request, session.id, '?limit=100');
  }
  return body;
}

async function lineItemsOf(request: StripeRequest, id: string, query: string) {
  const answer = await request.expe<ExpeList<ExpeCheckoutLineItem>>(
    'GET',
    `${sessionPath(id)}/line_items${query}`,
  );
  if (answer.status === 404) throw missing(request);
  const page = expectOk(answer);
  return toList(`${sessionPath(id)}/line_items`, page.data.map(toCheckoutLineItem), page.has_more);
}

async function getSession(request: StripeRequest): Promise<ExpeCheckoutSession> {
  const answer = await request.expe<ExpeCheckoutSession>('GET', sessionPath(request.id));
  if (answer.status === 404) throw missing(request);
  return expectOk(answer);
}

export const checkoutSessionHandlers: Record<string, StripeHandler> = {
  async create(request) {
    const { params } = request;
    const fields = [
      'line_items',
      'client_reference_id',
      'customer',
      'customer_email',
      'success_url',
      'cancel_url',
      'metadata',
      'expires_at',
    ] as const;
    const body: Record<string, unknown> = { mode: 'payment' };
    for (const field of fields) {
      if (params[field] !== undefined && params[field] !== null) body[field] = params[field];
    }
    const answer = await request.expe<ExpeCheckoutSession>('POST', '/v1/checkout/sessions', {
      body,
      idempotencyKey: request.idempotencyKey,
    });
    return { body: await sessionOf(request, expectOk(answer)), isReplay: answer.isReplay };
  },

  async retrieve(request) {
    return { body: await sessionOf(request, await getSession(request)) };
  },

  async list(request) {
    const { params } = request;
    const filters = {
      payment_intent: params.payment_intent as string | undefined,
      customer: params.customer as string | undefined,
      status: params.status as string | undefined,
    };
    const page = expectOk(
      await request.expe<ExpeList<ExpeCheckoutSession>>(
        'GET',
        `/v1/checkout/sessions${listQuery(params, filters)}`,
      ),
    );
    const data = await Promise.all(
      page.data.map((session) => sessionOf(request, session, 'data.')),
    );
    return { body: toList(request.path, data, page.has_more) };
  },

  async listLineItems(request) {
    return { body: await lineItemsOf(request, request.id, listQuery(request.params)) };
  },

  async expire(request) {
    const answer = await request.expe<ExpeCheckoutSession>(
      'POST',
      `${sessionPath(request.id)}/expire`,
      { body: {}, idempotencyKey: request.idempotencyKey },
    );
    if (answer.status === 404) throw missing(request);
    if (isStateConflict(answer)) {
      const session = await getSession(request);
      throw new StripeError(400, {
        type: 'invalid_request_error',
        code: 'checkout_session_unexpected_state',
        message:
          session.status === 'open'
            ? 'This Checkout Session is being paid and can no longer be expired.'
            : `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
      });
    }
    return { body: await sessionOf(request, expectOk(answer)), isReplay: answer.isReplay };
  },
};
