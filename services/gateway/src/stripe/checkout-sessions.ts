import {
  StripeError,
  paymentIdOfCheckoutSession,
  toCheckoutSession,
  toPaymentIntent,
  type ExpePayment,
} from '@expe/stripe-compat';
import { expectOk, isStateConflict, type StripeHandler, type StripeRequest } from './handler.js';

interface LineItem {
  quantity: number;
  price_data: { currency: string; unit_amount: number; product_data: { name: string } };
}

/** One payment for the whole cart: its amount is the total, its description the item names. */
function cartOf(items: LineItem[]) {
  if (items.length === 0) throw StripeError.missing('line_items');
  const currency = items[0]!.price_data.currency.toLowerCase();
  let amount = 0;
  for (const [index, item] of items.entries()) {
    if (item.price_data.currency.toLowerCase() !== currency) {
      throw StripeError.invalid(
        'parameter_invalid',
        'All line items must be in one currency',
        `line_items[${index}][price_data][currency]`,
      );
    }
    amount += item.price_data.unit_amount * item.quantity;
  }
  if (!Number.isSafeInteger(amount)) {
    throw StripeError.invalid('parameter_invalid', 'The total amount is too large', 'line_items');
  }
  const names = items.map((item) =>
    item.quantity > 1
      ? `${item.price_data.product_data.name} × ${item.quantity}`
      : item.price_data.product_data.name,
  );
  return { amount, currency, description: names.join(', ').slice(0, 500) };
}

function sessionOf(request: StripeRequest, payment: ExpePayment, cancelUrl?: string | null) {
  const session: Record<string, unknown> = toCheckoutSession(payment, { cancelUrl });
  const expand = (request.params.expand as string[] | undefined) ?? [];
  if (expand.includes('payment_intent')) session.payment_intent = toPaymentIntent(payment);
  return session;
}

async function getSessionPayment(request: StripeRequest): Promise<ExpePayment> {
  const answer = /^cs_(test|live)_/.test(request.id)
    ? await request.expe<ExpePayment>(
        'GET',
        `/v1/payments/${encodeURIComponent(paymentIdOfCheckoutSession(request.id))}`,
      )
    : undefined;
  if (!answer || answer.status === 404) {
    throw StripeError.resourceMissing('checkout.session', request.id, 'session');
  }
  return expectOk(answer);
}

export const checkoutSessionHandlers: Record<string, StripeHandler> = {
  async create(request) {
    const { params } = request;
    const cart = cartOf(params.line_items as LineItem[]);
    const answer = await request.expe<ExpePayment>('POST', '/v1/payments', {
      body: {
        amount: cart.amount,
        currency: cart.currency,
        description: cart.description,
        ...(params.metadata ? { metadata: params.metadata } : {}),
        ...(params.customer_email ? { customer_email: params.customer_email } : {}),
        ...(params.success_url ? { return_url: params.success_url } : {}),
      },
      idempotencyKey: request.idempotencyKey,
    });
    return {
      body: sessionOf(request, expectOk(answer), params.cancel_url as string | undefined),
      isReplay: answer.isReplay,
    };
  },

  async retrieve(request) {
    return { body: sessionOf(request, await getSessionPayment(request)) };
  },

  async expire(request) {
    const payment = await getSessionPayment(request);
    const answer = await request.expe<ExpePayment>(
      'POST',
      `/v1/payments/${encodeURIComponent(payment.id)}/cancel`,
      { body: {}, idempotencyKey: request.idempotencyKey },
    );
    if (isStateConflict(answer)) {
      throw new StripeError(400, {
        type: 'invalid_request_error',
        code: 'checkout_session_unexpected_state',
        message: `This Checkout Session is ${toCheckoutSession(payment).status} and can no longer be expired.`,
      });
    }
    return { body: sessionOf(request, expectOk(answer)), isReplay: answer.isReplay };
  },
};
