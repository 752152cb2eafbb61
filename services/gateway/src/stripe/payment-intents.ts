import type { Redis } from 'ioredis';
import {
  StripeError,
  testCardOf,
  testCardOfNumber,
  testPaymentMethodObject,
  toCharge,
  toList,
  toPaymentIntent,
  tokenOfNumber,
  type ExpeCustomer,
  type ExpePayment,
  type ParsedParams,
  type TestCard,
} from '@expe/stripe-compat';
import { getExpeCharge } from './charges.js';
import { stripeCustomerOf, type DeletedCustomer } from './customers.js';
import { stepKey } from './expe-client.js';
import type { ExpeAnswer } from './expe-client.js';
import {
  expectOk,
  isStateConflict,
  listQuery,
  stripeErrorOf,
  type ExpeList,
  type StripeHandler,
  type StripeRequest,
} from './handler.js';

/**
 * The PaymentMethod a PaymentIntent will be confirmed with, between `create`/`update` and
 * `confirm`. Only the test PaymentMethod's id is kept (never a card number), in Redis: losing
 * it only means confirm needs `payment_method` again.
 */
const paymentMethodKey = (paymentId: string) => `stripe:intent_pm:${paymentId}`;
const paymentMethodTtlSeconds = 30 * 24 * 3600;

async function rememberPaymentMethod(redis: Redis, paymentId: string, token: string) {
  await redis.set(paymentMethodKey(paymentId), token, 'EX', paymentMethodTtlSeconds);
}

export async function paymentMethodsOf(redis: Redis, paymentIds: string[]) {
  if (paymentIds.length === 0) return [];
  return redis.mget(paymentIds.map(paymentMethodKey));
}

interface ChosenCard {
  token: string;
  card: TestCard;
}

/**
 * The card of `payment_method` (a test PaymentMethod or token) or `payment_method_data` (a
 * sandbox card number), checked before anything is written.
 */
function chosenCard(params: ParsedParams): ChosenCard | undefined {
  const token = params.payment_method as string | undefined | null;
  const data = params.payment_method_data as
    { card?: { number: string; exp_month: number; exp_year: number } } | undefined;
  if (token && data) {
    throw StripeError.invalid(
      'parameter_invalid',
      'You cannot pass both payment_method and payment_method_data',
      'payment_method_data',
    );
  }
  if (token) {
    const card = testCardOf(token);
    if (!card) {
      throw new StripeError(400, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: `No such PaymentMethod: '${token}'. Expe's Stripe-compatible endpoint takes the test PaymentMethods (pm_card_visa, pm_card_chargeDeclined, …) and tokens (tok_visa, …); see docs/stripe-compatibility.md.`,
        param: 'payment_method',
      });
    }
    return ensureServed({ token, card }, 'payment_method');
  }
  if (data) {
    if (!data.card) throw StripeError.missing('payment_method_data[card]');
    const card = testCardOfNumber(data.card.number);
    const alias = tokenOfNumber(card.number);
    if (!alias) {
      throw new StripeError(402, {
        type: 'card_error',
        code: 'incorrect_number',
        message: 'Your card number is incorrect. Use a sandbox test card (docs/sandbox-data.md).',
        param: 'payment_method_data[card][number]',
      });
    }
    const year = data.card.exp_year < 100 ? 2000 + data.card.exp_year : data.card.exp_year;
    const now = new Date();
    if (
      year < now.getUTCFullYear() ||
      (year === now.getUTCFullYear() && data.card.exp_month < now.getUTCMonth() + 1)
    ) {
      throw new StripeError(402, {
        type: 'card_error',
        code: 'expired_card',
        message: 'Your card has expired.',
        param: 'payment_method_data[card][exp_year]',
      });
    }
    return ensureServed({ token: alias, card }, 'payment_method_data[card][number]');
  }
  return undefined;
}

function ensureServed(chosen: ChosenCard, param: string): ChosenCard {
  if (chosen.card.isServed) return chosen;
  throw StripeError.invalid(
    'parameter_invalid',
    `${chosen.token} (${chosen.card.outcome}) is not served by this Expe version yet; see docs/stripe-compatibility.md.`,
    param,
  );
}

async function getPayment(request: StripeRequest, id: string): Promise<ExpePayment> {
  const answer = await request.expe<ExpePayment>('GET', `/v1/payments/${encodeURIComponent(id)}`);
  if (answer.status === 404) throw StripeError.resourceMissing('payment_intent', id, 'intent');
  return expectOk(answer);
}

/**
 * Stripe's 400 `payment_intent_unexpected_state` for an operation the intent's status does not
 * allow, carrying the intent as it is; `message` words it for that status.
 */
function unexpectedState(payment: ExpePayment, message: (status: string) => string): StripeError {
  const intent = toPaymentIntent(payment);
  return new StripeError(400, {
    type: 'invalid_request_error',
    code: 'payment_intent_unexpected_state',
    message: message(intent.status),
    payment_intent: intent,
  } as never);
}

/**
 * Expe's refusal of an action on the PaymentIntent `request.id` as Stripe's: 404 for an id that
 * is none of the caller's, 400 `payment_intent_unexpected_state` (with `stateMessage`) for one
 * whose status does not allow it.
 */
async function throwIfRefused(
  request: StripeRequest,
  answer: ExpeAnswer,
  stateMessage: (status: string) => string,
): Promise<void> {
  if (answer.status === 404) {
    throw StripeError.resourceMissing('payment_intent', request.id, 'intent');
  }
  if (isStateConflict(answer)) {
    throw unexpectedState(await getPayment(request, request.id), stateMessage);
  }
}

async function intentOf(request: StripeRequest, payment: ExpePayment, token?: string | null) {
  const stored = token ?? (await paymentMethodsOf(request.redis, [payment.id]))[0];
  return expandIntent(request, toPaymentIntent(payment, { paymentMethod: stored }), payment, '');
}

/** `expand[]=latest_charge` / `payment_method` / `customer` (with `data.` on lists). */
async function expandIntent<T extends ReturnType<typeof toPaymentIntent>>(
  request: StripeRequest,
  intent: T,
  payment: ExpePayment,
  prefix: string,
): Promise<Record<string, unknown>> {
  const expand = (request.params.expand as string[] | undefined) ?? [];
  const out: Record<string, unknown> = { ...intent };
  if (expand.includes(`${prefix}latest_charge`) && intent.latest_charge) {
    const charge = await getExpeCharge(request, intent.latest_charge, 'expand');
    out.latest_charge = toCharge(charge, { paymentMethod: intent.payment_method });
  }
  if (expand.includes(`${prefix}payment_method`) && intent.payment_method) {
    const card = testCardOf(intent.payment_method);
    if (card) {
      out.payment_method = testPaymentMethodObject(intent.payment_method, card, intent.livemode);
    }
  }
  if (expand.includes(`${prefix}customer`) && intent.customer) {
    const customer = await request.expe<ExpeCustomer | DeletedCustomer>(
      'GET',
      `/v1/customers/${encodeURIComponent(intent.customer)}`,
    );
    // A customer deleted since expands to `{id, object, deleted: true}`, as in Stripe.
    if (customer.status === 200) out.customer = stripeCustomerOf(customer.body);
  }
  return out;
}

/**
 * Server-side confirmation: Expe's confirm is the checkout's call, authorized by the payment's
 * client secret, which the secret key may read; the card is the sandbox card of the test
 * PaymentMethod.
 */
function confirmWith(
  request: StripeRequest,
  payment: ExpePayment,
  chosen: ChosenCard,
  idempotencyKey: string | undefined,
) {
  const expYear = new Date().getUTCFullYear() + 5;
  const card = { number: chosen.card.number, exp_month: 12, exp_year: expYear, cvc: '123' };
  return confirmExpePayment(request, payment, { card }, chosen.token, idempotencyKey);
}

/**
 * `off_session: true` on confirm: the customer is away, so Expe declines a card that needs 3-D
 * Secure with authentication_required. At creation with `confirm` it is part of the create call.
 */
function offSessionOf(params: ParsedParams): { off_session?: true } {
  return params.off_session === true ? { off_session: true } : {};
}

/** An Expe PaymentMethod (`pm_…` that is not a test PaymentMethod): a saved card or a created one. */
function savedCardOf(params: ParsedParams): string | undefined {
  const token = params.payment_method as string | undefined | null;
  // Anything else is looked up as a test PaymentMethod (and refused there if it is none).
  return isExpePaymentMethod(token) ? token : undefined;
}

function isExpePaymentMethod(token: string | null | undefined): token is string {
  return Boolean(token && !testCardOf(token) && /^pm_[0-9a-z]{10,40}$/.test(token));
}

/** Confirms with an Expe PaymentMethod: Expe's confirm takes it with the secret key. */
function confirmWithPaymentMethod(
  request: StripeRequest,
  payment: ExpePayment,
  paymentMethod: string,
  idempotencyKey: string | undefined,
) {
  const method = { payment_method: paymentMethod };
  return confirmExpePayment(request, payment, method, paymentMethod, idempotencyKey);
}

/**
 * Expe's confirm of a card payment with `instrument` (a card, or an Expe PaymentMethod), as
 * Stripe's answer: the PaymentIntent showing `paymentMethod`, a declined card's 402, or 400
 * `payment_intent_unexpected_state` for a payment past confirming.
 */
async function confirmExpePayment(
  request: StripeRequest,
  payment: ExpePayment,
  instrument: Record<string, unknown>,
  paymentMethod: string,
  idempotencyKey: string | undefined,
) {
  const answer = await request.expe<ExpePayment>(
    'POST',
    `/v1/payments/${encodeURIComponent(payment.id)}/confirm`,
    {
      body: {
        client_secret: payment.client_secret,
        method: 'card',
        ...instrument,
        ...offSessionOf(request.params),
      },
      idempotencyKey,
    },
  );
  if (answer.status === 200) {
    return { body: await intentOf(request, answer.body, paymentMethod), isReplay: answer.isReplay };
  }
  if (answer.status === 402) throw cardErrorOf(answer, paymentMethod);
  if (isStateConflict(answer)) {
    throw new StripeError(400, {
      ...stripeErrorOf(answer).body,
      code: 'payment_intent_unexpected_state',
      payment_intent: toPaymentIntent(payment),
    });
  }
  throw stripeErrorOf(answer);
}

/** Expe's 402 for a declined attempt, as Stripe's card error carrying the PaymentIntent. */
function cardErrorOf(answer: ExpeAnswer, paymentMethod: string | undefined): StripeError {
  const error = (answer.body as { error?: { payment?: ExpePayment } }).error;
  const stripeError = stripeErrorOf(answer);
  if (!error?.payment) return stripeError;
  const intent = toPaymentIntent(error.payment, { paymentMethod });
  const card = paymentMethod ? testCardOf(paymentMethod) : undefined;
  return new StripeError(402, {
    ...stripeError.body,
    ...(intent.latest_charge ? { charge: intent.latest_charge } : {}),
    payment_intent: intent,
    ...(paymentMethod && card
      ? { payment_method: testPaymentMethodObject(paymentMethod, card, intent.livemode) }
      : {}),
  });
}

/**
 * What a PaymentIntent update changes on the Expe payment (POST /v1/payments/:id), in any
 * status as in Stripe: "" (null here) clears description or receipt_email; metadata merges key
 * by key in Expe, a key set to "" removed, `metadata=` (null) removing every key.
 */
function intentUpdate(params: ParsedParams): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (params.description !== undefined) fields.description = params.description;
  if (params.receipt_email !== undefined) fields.customer_email = params.receipt_email;
  if (params.metadata !== undefined) fields.metadata = params.metadata;
  return fields;
}

export const paymentIntentHandlers: Record<string, StripeHandler> = {
  async create(request) {
    const { params } = request;
    const saved = savedCardOf(params);
    const chosen = saved ? undefined : chosenCard(params);
    const key = request.idempotencyKey;
    const created = await request.expe<ExpePayment>('POST', '/v1/payments', {
      body: {
        amount: params.amount,
        currency: params.currency,
        ...(params.description ? { description: params.description } : {}),
        ...(params.metadata ? { metadata: params.metadata } : {}),
        ...(params.receipt_email ? { customer_email: params.receipt_email } : {}),
        ...(params.return_url ? { return_url: params.return_url } : {}),
        ...(params.capture_method === 'manual' ? { capture_method: 'manual' } : {}),
        ...(params.customer ? { customer: params.customer } : {}),
        ...(params.setup_future_usage ? { setup_future_usage: params.setup_future_usage } : {}),
        // A test card's confirm follows the create call and carries off_session itself.
        ...(params.off_session !== undefined && !(chosen && params.confirm === true)
          ? { off_session: params.off_session }
          : {}),
        ...(saved && params.confirm === true ? { payment_method: saved, confirm: true } : {}),
      },
      idempotencyKey: key,
    });
    if (created.status === 402) throw cardErrorOf(created, saved);
    const payment = expectOk(created);
    if (saved && params.confirm === true) {
      return { status: 200, body: await intentOf(request, payment), isReplay: created.isReplay };
    }
    if (saved) {
      // Confirmed later with it (Expe's confirm takes the PaymentMethod).
      await rememberPaymentMethod(request.redis, payment.id, saved);
      return {
        status: 200,
        body: await intentOf(request, payment, saved),
        isReplay: created.isReplay,
      };
    }
    if (chosen) await rememberPaymentMethod(request.redis, payment.id, chosen.token);
    if (params.confirm === true) {
      if (!chosen) {
        throw StripeError.invalid(
          'parameter_missing',
          'You passed confirm=true without a payment_method: pass payment_method (e.g. pm_card_visa)',
          'payment_method',
        );
      }
      return confirmWith(request, payment, chosen, stepKey(key, 'confirm'));
    }
    return {
      status: 200,
      body: await intentOf(request, payment, chosen?.token ?? null),
      isReplay: created.isReplay,
    };
  },

  async retrieve(request) {
    return { body: await intentOf(request, await getPayment(request, request.id)) };
  },

  async update(request) {
    const saved = savedCardOf(request.params);
    const chosen = saved ? undefined : chosenCard(request.params);
    let payment = await getPayment(request, request.id);
    if (chosen || saved) {
      if (payment.status !== 'requires_payment_method') {
        throw unexpectedState(
          payment,
          (status) => `You cannot update this PaymentIntent because it has a status of ${status}.`,
        );
      }
    }
    const fields = intentUpdate(request.params);
    let isReplay = false;
    if (Object.keys(fields).length > 0) {
      const answer = await request.expe<ExpePayment>(
        'POST',
        `/v1/payments/${encodeURIComponent(payment.id)}`,
        { body: fields, idempotencyKey: request.idempotencyKey },
      );
      if (answer.status === 404) {
        throw StripeError.resourceMissing('payment_intent', request.id, 'intent');
      }
      payment = expectOk(answer);
      isReplay = answer.isReplay ?? false;
    }
    const token = saved ?? chosen?.token;
    if (token) await rememberPaymentMethod(request.redis, payment.id, token);
    return { body: await intentOf(request, payment, token), isReplay };
  },

  async confirm(request) {
    const saved = savedCardOf(request.params);
    const fromParams = saved ? undefined : chosenCard(request.params);
    const payment = await getPayment(request, request.id);
    let chosen = fromParams;
    if (saved) {
      await rememberPaymentMethod(request.redis, payment.id, saved);
      return confirmWithPaymentMethod(request, payment, saved, request.idempotencyKey);
    }
    if (!chosen) {
      const [stored] = await paymentMethodsOf(request.redis, [payment.id]);
      if (isExpePaymentMethod(stored)) {
        return confirmWithPaymentMethod(request, payment, stored, request.idempotencyKey);
      }
      const card = stored ? testCardOf(stored) : undefined;
      if (stored && card) chosen = { token: stored, card };
    }
    if (!chosen) {
      throw StripeError.invalid(
        'parameter_missing',
        'You cannot confirm this PaymentIntent because it’s missing a payment method. Pass payment_method (e.g. pm_card_visa).',
        'payment_method',
      );
    }
    if (fromParams) await rememberPaymentMethod(request.redis, payment.id, fromParams.token);
    return confirmWith(request, payment, chosen, request.idempotencyKey);
  },

  async cancel(request) {
    const answer = await request.expe<ExpePayment>(
      'POST',
      `/v1/payments/${encodeURIComponent(request.id)}/cancel`,
      { body: {}, idempotencyKey: request.idempotencyKey },
    );
    await throwIfRefused(
      request,
      answer,
      (status) =>
        `You cannot cancel this PaymentIntent because it has a status of ${status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.`,
    );
    return { body: await intentOf(request, expectOk(answer)), isReplay: answer.isReplay };
  },

  async capture(request) {
    const amount = request.params.amount_to_capture as number | undefined;
    const answer = await request.expe<ExpePayment>(
      'POST',
      `/v1/payments/${encodeURIComponent(request.id)}/capture`,
      {
        body: amount !== undefined ? { amount_to_capture: amount } : {},
        idempotencyKey: request.idempotencyKey,
      },
    );
    await throwIfRefused(
      request,
      answer,
      (status) =>
        `This PaymentIntent could not be captured because it has a status of ${status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
    );
    if (answer.status === 400) {
      const error = stripeErrorOf(answer);
      if (
        error.body.param === 'amount_to_capture' ||
        error.body.code === 'amount_to_capture_invalid'
      ) {
        throw new StripeError(400, { ...error.body, param: 'amount_to_capture' });
      }
      throw error;
    }
    return { body: await intentOf(request, expectOk(answer)), isReplay: answer.isReplay };
  },

  async list(request) {
    const page = expectOk(
      await request.expe<ExpeList<ExpePayment>>(
        'GET',
        `/v1/payments${listQuery(request.params, { customer: request.params.customer as string | undefined })}`,
      ),
    );
    const tokens = await paymentMethodsOf(
      request.redis,
      page.data.map((payment) => payment.id),
    );
    const data = await Promise.all(
      page.data.map((payment, index) =>
        expandIntent(
          request,
          toPaymentIntent(payment, { paymentMethod: tokens[index] }),
          payment,
          'data.',
        ),
      ),
    );
    return { body: toList(request.path, data, page.has_more) };
  },
};

export { getPayment };
