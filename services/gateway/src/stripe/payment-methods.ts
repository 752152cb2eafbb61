import {
  StripeError,
  testCardOf,
  testPaymentMethodObject,
  toList,
  toSavedPaymentMethod,
  toSetupIntent,
  type ExpeSavedPaymentMethod,
  type ExpeSetupIntent,
  type ParsedParams,
} from '@expe/stripe-compat';
import { stepKey, type ExpeAnswer } from './expe-client.js';
import {
  expectOk,
  isStateConflict,
  listQuery,
  stripeErrorOf,
  type ExpeList,
  type StripeHandler,
  type StripeRequest,
} from './handler.js';

const methodPath = (id: string) => `/v1/payment_methods/${encodeURIComponent(id)}`;
const setupIntentPath = (id: string) => `/v1/setup_intents/${encodeURIComponent(id)}`;

function missingPaymentMethod(id: string, param = 'id') {
  return StripeError.resourceMissing('payment_method', id, param);
}

/**
 * The Expe PaymentMethod a Stripe `payment_method` names: a pm_… as it is; a test PaymentMethod
 * or token (pm_card_visa, tok_visa) becomes a new PaymentMethod first, as Stripe makes a new
 * pm_… of it when it is attached or set up.
 */
async function paymentMethodOf(
  request: StripeRequest,
  id: string,
  step: string,
  param = 'payment_method',
): Promise<string> {
  if (!testCardOf(id)) return id;
  const answer = await request.expe<ExpeSavedPaymentMethod>('POST', '/v1/payment_methods', {
    body: { type: 'card', card: { token: id } },
    idempotencyKey: stepKey(request.idempotencyKey, step),
  });
  if (answer.status === 400) {
    const error = stripeErrorOf(answer);
    throw new StripeError(400, { ...error.body, param });
  }
  return expectOk(answer).id;
}

/** Stripe's billing_details, card and metadata as Expe's PaymentMethod fields. */
function paymentMethodFields(params: ParsedParams): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (params.billing_details === null) {
    // `billing_details=` unsets every field, as in Stripe.
    body.billing_details = { address: null, email: null, name: null, phone: null };
  } else if (params.billing_details !== undefined) {
    body.billing_details = params.billing_details;
  }
  if (params.metadata !== undefined) body.metadata = params.metadata;
  return body;
}

export const paymentMethodHandlers: Record<string, StripeHandler> = {
  async create(request) {
    const { params } = request;
    const card = (params.card ?? {}) as Record<string, unknown>;
    if (!card.token && !card.number) throw StripeError.missing('card[number]');
    const answer = await request.expe<ExpeSavedPaymentMethod>('POST', '/v1/payment_methods', {
      body: {
        type: 'card',
        card,
        ...paymentMethodFields(params),
        ...(params.metadata === null ? { metadata: {} } : {}),
      },
      idempotencyKey: request.idempotencyKey,
    });
    return { body: toSavedPaymentMethod(expectOk(answer)), isReplay: answer.isReplay };
  },

  async retrieve(request) {
    const card = testCardOf(request.id);
    if (card) return { body: testPaymentMethodObject(request.id, card, false) };
    const answer = await request.expe<ExpeSavedPaymentMethod>('GET', methodPath(request.id));
    if (answer.status === 404) throw missingPaymentMethod(request.id);
    return { body: toSavedPaymentMethod(expectOk(answer)) };
  },

  async update(request) {
    if (testCardOf(request.id)) {
      throw StripeError.invalid(
        'parameter_invalid',
        `${request.id} is a test PaymentMethod: attach it to a customer (a new pm_…) to update it`,
        'id',
      );
    }
    const body = paymentMethodFields(request.params);
    if (request.params.card === null) {
      throw StripeError.invalid(
        'parameter_invalid_empty',
        "You passed an empty string for 'card'. A card's expiry cannot be unset: send card[exp_month] and card[exp_year].",
        'card',
      );
    }
    if (request.params.card !== undefined) body.card = request.params.card;
    const answer = await request.expe<ExpeSavedPaymentMethod>('POST', methodPath(request.id), {
      body,
      idempotencyKey: request.idempotencyKey,
    });
    if (answer.status === 404) throw missingPaymentMethod(request.id);
    return { body: toSavedPaymentMethod(expectOk(answer)), isReplay: answer.isReplay };
  },

  async list(request) {
    const customer = request.params.customer as string | undefined;
    const answer = await request.expe<ExpeList<ExpeSavedPaymentMethod>>(
      'GET',
      `/v1/payment_methods${listQuery(request.params, { customer })}`,
    );
    if (answer.status === 404) {
      throw StripeError.resourceMissing('customer', customer ?? '', 'customer');
    }
    const page = expectOk(answer);
    return { body: toList(request.path, page.data.map(toSavedPaymentMethod), page.has_more) };
  },

  async attach(request) {
    const id = await paymentMethodOf(request, request.id, 'payment_method', 'id');
    const answer = await request.expe<ExpeSavedPaymentMethod>('POST', `${methodPath(id)}/attach`, {
      body: { customer: request.params.customer },
      idempotencyKey: stepKey(request.idempotencyKey, 'attach'),
    });
    if (answer.status === 404) {
      const error = stripeErrorOf(answer);
      if (error.body.param === 'customer') {
        throw StripeError.resourceMissing('customer', String(request.params.customer), 'customer');
      }
      throw missingPaymentMethod(request.id);
    }
    // Attached elsewhere or detached once: Stripe's 400 invalid_request_error.
    if (answer.status === 409) {
      throw new StripeError(400, { ...stripeErrorOf(answer).body, code: undefined });
    }
    return { body: toSavedPaymentMethod(expectOk(answer)), isReplay: answer.isReplay };
  },

  async detach(request) {
    if (testCardOf(request.id)) {
      throw StripeError.invalid(
        'parameter_invalid',
        `${request.id} is a test PaymentMethod: it belongs to no customer`,
        'id',
      );
    }
    const answer = await request.expe<ExpeSavedPaymentMethod>(
      'POST',
      `${methodPath(request.id)}/detach`,
      { body: {}, idempotencyKey: request.idempotencyKey },
    );
    if (answer.status === 404) throw missingPaymentMethod(request.id);
    if (answer.status === 409) {
      throw new StripeError(400, { ...stripeErrorOf(answer).body, code: undefined });
    }
    return { body: toSavedPaymentMethod(expectOk(answer)), isReplay: answer.isReplay };
  },
};

/**
 * Expe's answer about a SetupIntent as Stripe's: a declined card is 402 carrying the
 * SetupIntent, a state conflict is 400 `setup_intent_unexpected_state`.
 */
function setupIntentAnswer(answer: ExpeAnswer<ExpeSetupIntent>, id: string) {
  if (answer.status === 402) {
    const error = (answer.body as { error?: { setup_intent?: ExpeSetupIntent } }).error;
    const stripeError = stripeErrorOf(answer);
    throw new StripeError(402, {
      ...stripeError.body,
      ...(error?.setup_intent ? { setup_intent: toSetupIntent(error.setup_intent) } : {}),
    });
  }
  if (answer.status === 404) {
    // A customer or PaymentMethod it names that does not exist (or is another account's).
    const error = stripeErrorOf(answer);
    if (error.body.param === 'customer' || error.body.param === 'payment_method') throw error;
    throw StripeError.resourceMissing('setup_intent', id, 'intent');
  }
  if (isStateConflict(answer)) {
    throw new StripeError(400, { ...stripeErrorOf(answer).body });
  }
  return { body: toSetupIntent(expectOk(answer)), isReplay: answer.isReplay };
}

function setupIntentFields(params: ParsedParams): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (params.customer !== undefined && params.customer !== null) body.customer = params.customer;
  if (params.description !== undefined) body.description = params.description;
  if (params.metadata !== undefined) body.metadata = params.metadata;
  return body;
}

export const setupIntentHandlers: Record<string, StripeHandler> = {
  async create(request) {
    const { params } = request;
    const paymentMethod = params.payment_method as string | undefined;
    const body = setupIntentFields(params);
    if (body.metadata === null) delete body.metadata;
    if (body.description === null) delete body.description;
    if (paymentMethod) {
      body.payment_method = await paymentMethodOf(request, paymentMethod, 'payment_method');
    }
    if (params.usage !== undefined) body.usage = params.usage;
    if (params.confirm === true) body.confirm = true;
    if (typeof params.return_url === 'string') body.return_url = params.return_url;
    const answer = await request.expe<ExpeSetupIntent>('POST', '/v1/setup_intents', {
      body,
      idempotencyKey: stepKey(request.idempotencyKey, 'setup_intent'),
    });
    return setupIntentAnswer(answer, '');
  },

  async retrieve(request) {
    const answer = await request.expe<ExpeSetupIntent>('GET', setupIntentPath(request.id));
    return setupIntentAnswer(answer, request.id);
  },

  async update(request) {
    const { params } = request;
    const body = setupIntentFields(params);
    const paymentMethod = params.payment_method as string | undefined;
    if (paymentMethod) {
      body.payment_method = await paymentMethodOf(request, paymentMethod, 'payment_method');
    }
    const answer = await request.expe<ExpeSetupIntent>('POST', setupIntentPath(request.id), {
      body,
      idempotencyKey: stepKey(request.idempotencyKey, 'update'),
    });
    return setupIntentAnswer(answer, request.id);
  },

  async confirm(request) {
    const paymentMethod = request.params.payment_method as string | undefined;
    const returnUrl = request.params.return_url;
    const body = {
      ...(paymentMethod
        ? { payment_method: await paymentMethodOf(request, paymentMethod, 'payment_method') }
        : {}),
      ...(typeof returnUrl === 'string' ? { return_url: returnUrl } : {}),
    };
    const answer = await request.expe<ExpeSetupIntent>(
      'POST',
      `${setupIntentPath(request.id)}/confirm`,
      { body, idempotencyKey: stepKey(request.idempotencyKey, 'confirm') },
    );
    return setupIntentAnswer(answer, request.id);
  },

  async cancel(request) {
    const reason = request.params.cancellation_reason as string | undefined;
    const answer = await request.expe<ExpeSetupIntent>(
      'POST',
      `${setupIntentPath(request.id)}/cancel`,
      {
        body: reason ? { cancellation_reason: reason } : {},
        idempotencyKey: request.idempotencyKey,
      },
    );
    return setupIntentAnswer(answer, request.id);
  },

  async list(request) {
    const page = expectOk(
      await request.expe<ExpeList<ExpeSetupIntent>>(
        'GET',
        `/v1/setup_intents${listQuery(request.params, {
          customer: request.params.customer as string | undefined,
          payment_method: request.params.payment_method as string | undefined,
        })}`,
      ),
    );
    return { body: toList(request.path, page.data.map(toSetupIntent), page.has_more) };
  },
};
