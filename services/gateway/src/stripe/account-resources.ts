import {
  StripeError,
  expeEventTypesOf,
  stripeApiVersion,
  stripeEventTypes,
  toBalance,
  toList,
  toPaymentIntent,
  toRefund,
  toStripeEvent,
  toStripeEventType,
  toWebhookEndpoint,
  type ExpeEvent,
  type ExpePayment,
  type ExpeRefund,
  type ExpeWebhookEndpoint,
  type ParsedParams,
} from '@expe/stripe-compat';
import {
  expectOk,
  listQuery,
  type ExpeList,
  type StripeHandler,
  type StripeRequest,
} from './handler.js';
import { getExpeCharge, stripeChargesOf } from './charges.js';

// Refunds ---------------------------------------------------------------------------------------

/** The payment a refund's `payment_intent` or `charge` names (a charge is looked up). */
async function paymentIdOf(request: StripeRequest): Promise<string> {
  const intent = request.params.payment_intent as string | undefined;
  const chargeId = request.params.charge as string | undefined;
  const charge = chargeId ? await getExpeCharge(request, chargeId, 'charge') : undefined;
  if (intent && charge && charge.payment !== intent) {
    throw StripeError.invalid(
      'parameter_invalid',
      'The charge does not belong to the payment_intent you passed',
      'charge',
    );
  }
  if (intent) return intent;
  if (charge) return charge.payment;
  throw StripeError.invalid(
    'parameter_missing',
    'One of the following params should be provided for this request: payment_intent or charge.',
    'payment_intent',
  );
}

async function expandRefund(request: StripeRequest, refund: ExpeRefund, prefix: string) {
  const expand = (request.params.expand as string[] | undefined) ?? [];
  const out: Record<string, unknown> = toRefund(refund);
  const wantsIntent = expand.includes(`${prefix}payment_intent`);
  const wantsCharge = expand.includes(`${prefix}charge`);
  if (wantsIntent) {
    const payment = expectOk(
      await request.expe<ExpePayment>('GET', `/v1/payments/${encodeURIComponent(refund.payment)}`),
    );
    if (wantsIntent) out.payment_intent = toPaymentIntent(payment);
  }
  if (wantsCharge && refund.charge) {
    [out.charge] = await stripeChargesOf(request, [await getExpeCharge(request, refund.charge)]);
  }
  return out;
}

export const refundHandlers: Record<string, StripeHandler> = {
  async create(request) {
    const payment = await paymentIdOf(request);
    const { amount, reason, metadata } = request.params;
    const answer = await request.expe<ExpeRefund>('POST', '/v1/refunds', {
      body: {
        payment,
        ...(amount !== undefined ? { amount } : {}),
        ...(reason ? { reason } : {}),
        ...(metadata ? { metadata } : {}),
      },
      idempotencyKey: request.idempotencyKey,
    });
    if (answer.status === 404) {
      const param = request.params.charge ? 'charge' : 'payment_intent';
      const what = param === 'charge' ? 'charge' : 'payment_intent';
      throw StripeError.resourceMissing(what, String(request.params[param]), param);
    }
    return {
      body: await expandRefund(request, expectOk(answer), ''),
      isReplay: answer.isReplay,
    };
  },

  async retrieve(request) {
    const answer = await request.expe<ExpeRefund>(
      'GET',
      `/v1/refunds/${encodeURIComponent(request.id)}`,
    );
    if (answer.status === 404) throw StripeError.resourceMissing('refund', request.id);
    return { body: await expandRefund(request, expectOk(answer), '') };
  },

  async update(request) {
    const { metadata } = request.params;
    // Expe merges metadata by Stripe's rules (a key set to "" removed, metadata= empties it).
    const answer = await request.expe<ExpeRefund>(
      'POST',
      `/v1/refunds/${encodeURIComponent(request.id)}`,
      {
        body: metadata !== undefined ? { metadata } : {},
        idempotencyKey: request.idempotencyKey,
      },
    );
    if (answer.status === 404) throw StripeError.resourceMissing('refund', request.id);
    return { body: await expandRefund(request, expectOk(answer), '') };
  },

  async list(request) {
    const filtered = request.params.payment_intent ?? request.params.charge;
    const payment = filtered ? await paymentIdOf(request) : undefined;
    const page = expectOk(
      await request.expe<ExpeList<ExpeRefund>>(
        'GET',
        `/v1/refunds${listQuery(request.params, { payment })}`,
      ),
    );
    const data = await Promise.all(
      page.data.map((refund) => expandRefund(request, refund, 'data.')),
    );
    return { body: toList(request.path, data, page.has_more) };
  },
};

// Balance ---------------------------------------------------------------------------------------

export const balanceHandlers: Record<string, StripeHandler> = {
  async retrieve(request) {
    return { body: toBalance(expectOk(await request.expe('GET', '/v1/balance'))) };
  },
};

// Events ----------------------------------------------------------------------------------------

/**
 * One Stripe type filter (`payment_intent.canceled`, `payment_intent.*`) as every Expe filter
 * it stands for: a Stripe type may come from two Expe types (payment_intent.canceled: canceled
 * and expired payments), a Stripe prefix from an Expe prefix (`payment.*`) or from some types
 * of one (`charge.*`: the dispute types). A type Expe does not map keeps its name.
 */
function expeTypeFiltersOf(type: string): string[] {
  if (!type.endsWith('.*')) return expeEventTypesOf(type) ?? [type];
  const prefix = type.slice(0, -1);
  const mapped = Object.keys(stripeEventTypes);
  const matching = mapped.filter((expe) => toStripeEventType(expe).startsWith(prefix));
  if (matching.length === 0) return [type];
  const expePrefixes = new Set(matching.map((expe) => `${expe.split('.')[0]}.`));
  return [...expePrefixes].flatMap((expePrefix) => {
    const all = mapped.filter((expe) => expe.startsWith(expePrefix));
    return all.every((expe) => matching.includes(expe))
      ? [`${expePrefix}*`]
      : all.filter((expe) => matching.includes(expe));
  });
}

/** Stripe's `type` or `types[]` (either, as in Stripe) as Expe's `type` or `types[]`. */
function expeTypeQuery(params: ParsedParams): { type?: string; types?: string[] } {
  const type = params.type as string | null | undefined;
  const types = params.types as string[] | undefined;
  if (type && types?.length) {
    throw StripeError.invalid(
      'parameter_invalid',
      'You may pass either type or types, but not both.',
      'types',
    );
  }
  const stripe = type ? [type] : (types ?? []);
  const expe = [...new Set(stripe.flatMap(expeTypeFiltersOf))];
  if (expe.length === 0) return {};
  return expe.length === 1 ? { type: expe[0] } : { types: expe };
}

export const eventHandlers: Record<string, StripeHandler> = {
  async retrieve(request) {
    const answer = await request.expe<ExpeEvent>(
      'GET',
      `/v1/events/${encodeURIComponent(request.id)}`,
    );
    if (answer.status === 404) throw StripeError.resourceMissing('event', request.id);
    return { body: toStripeEvent(expectOk(answer), stripeApiVersion) };
  },

  async list(request) {
    const page = expectOk(
      await request.expe<ExpeList<ExpeEvent>>(
        'GET',
        `/v1/events${listQuery(request.params, expeTypeQuery(request.params))}`,
      ),
    );
    return {
      body: toList(
        request.path,
        page.data.map((event) => toStripeEvent(event, stripeApiVersion)),
        page.has_more,
      ),
    };
  },
};

// Webhook endpoints -----------------------------------------------------------------------------

/**
 * What an endpoint shows as its Stripe event types: the names it subscribed by, an Expe type
 * (an endpoint made through Expe's API) as the Stripe type it is delivered as.
 */
function stripeEnabledEvents(enabled: string[]): string[] {
  return [...new Set(enabled.map((type) => (type === '*' ? '*' : toStripeEventType(type))))];
}

function endpointOf(endpoint: ExpeWebhookEndpoint) {
  return toWebhookEndpoint(
    endpoint,
    stripeEnabledEvents(endpoint.enabled_events),
    stripeApiVersion,
  );
}

async function getStripeEndpoint(request: StripeRequest): Promise<ExpeWebhookEndpoint> {
  // One state: endpoints made through the Expe API are seen here too (they keep Expe's payloads).
  const answer = await request.expe<ExpeWebhookEndpoint>(
    'GET',
    `/v1/webhook_endpoints/${encodeURIComponent(request.id)}`,
  );
  if (answer.status === 404) {
    throw StripeError.resourceMissing('webhook_endpoint', request.id);
  }
  return expectOk(answer);
}

export const webhookEndpointHandlers: Record<string, StripeHandler> = {
  async create(request) {
    const { url, description } = request.params;
    // Kept by Stripe's names: the webhooks service delivers each Expe event to endpoints that
    // subscribed by its Expe or its Stripe name (@expe/stripe-compat's subscriptionNamesOf).
    const enabled = request.params.enabled_events as string[];
    const answer = await request.expe<ExpeWebhookEndpoint>('POST', '/v1/webhook_endpoints', {
      body: {
        url,
        enabled_events: enabled,
        ...(description ? { description } : {}),
        format: 'stripe',
      },
      idempotencyKey: request.idempotencyKey,
    });
    return { body: endpointOf(expectOk(answer)), isReplay: answer.isReplay };
  },

  async retrieve(request) {
    return { body: endpointOf(await getStripeEndpoint(request)) };
  },

  async update(request) {
    await getStripeEndpoint(request);
    const { url, description, disabled } = request.params;
    const events = request.params.enabled_events as string[] | undefined;
    const answer = await request.expe<ExpeWebhookEndpoint>(
      'POST',
      `/v1/webhook_endpoints/${encodeURIComponent(request.id)}`,
      {
        body: {
          ...(url ? { url } : {}),
          ...(events ? { enabled_events: events } : {}),
          ...(description !== undefined ? { description } : {}),
          ...(disabled !== undefined ? { disabled } : {}),
        },
        idempotencyKey: request.idempotencyKey,
      },
    );
    return { body: endpointOf(expectOk(answer)) };
  },

  async delete(request) {
    await getStripeEndpoint(request);
    const answer = await request.expe<{ id: string }>(
      'DELETE',
      `/v1/webhook_endpoints/${encodeURIComponent(request.id)}`,
    );
    const deleted = expectOk(answer);
    return { body: { id: deleted.id, object: 'webhook_endpoint', deleted: true } };
  },

  async list(request) {
    const page = expectOk(
      await request.expe<ExpeList<ExpeWebhookEndpoint>>(
        'GET',
        `/v1/webhook_endpoints${listQuery(request.params)}`,
      ),
    );
    return { body: toList(request.path, page.data.map(endpointOf), page.has_more) };
  },
};
