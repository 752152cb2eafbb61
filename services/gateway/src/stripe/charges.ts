import {
  StripeError,
  toCharge,
  toList,
  toPaymentIntent,
  type ExpeCharge,
  type ExpePayment,
} from '@expe/stripe-compat';
import {
  expectOk,
  isStateConflict,
  listQuery,
  stripeErrorOf,
  type ExpeList,
  type StripeHandler,
  type StripeRequest,
} from './handler.js';
import { paymentMethodsOf } from './payment-intents.js';

/**
 * Charges are Expe's own (one per attempt to pay, failed ones included), under the same `ch_`
 * id on both ports: each operation is one call of Expe's `/v1/charges` API, renamed.
 */

/** Expe's charge `id`; 404 `resource_missing` naming `param` when it is none of the caller's. */
export async function getExpeCharge(
  request: StripeRequest,
  id: string,
  param = 'id',
): Promise<ExpeCharge> {
  const answer = await request.expe<ExpeCharge>('GET', `/v1/charges/${encodeURIComponent(id)}`);
  if (answer.status === 404) throw StripeError.resourceMissing('charge', id, param);
  return expectOk(answer);
}

/** Stripe's Charge, with the test PaymentMethod the Stripe layer confirmed its payment with. */
export async function stripeChargesOf(request: StripeRequest, charges: ExpeCharge[]) {
  const tokens = await paymentMethodsOf(
    request.redis,
    charges.map((charge) => charge.payment),
  );
  return charges.map((charge, index) => toCharge(charge, { paymentMethod: tokens[index] }));
}

async function expandCharge(request: StripeRequest, charges: ExpeCharge[], prefix: string) {
  const expand = (request.params.expand as string[] | undefined) ?? [];
  const stripe: Record<string, unknown>[] = await stripeChargesOf(request, charges);
  if (!expand.includes(`${prefix}payment_intent`)) return stripe;
  return Promise.all(
    stripe.map(async (charge, index) => {
      const payment = expectOk(
        await request.expe<ExpePayment>(
          'GET',
          `/v1/payments/${encodeURIComponent(charges[index]!.payment)}`,
        ),
      );
      return { ...charge, payment_intent: toPaymentIntent(payment) };
    }),
  );
}

async function oneCharge(request: StripeRequest, charge: ExpeCharge) {
  const [body] = await expandCharge(request, [charge], '');
  return body;
}

export const chargeHandlers: Record<string, StripeHandler> = {
  async retrieve(request) {
    return { body: await oneCharge(request, await getExpeCharge(request, request.id)) };
  },

  async list(request) {
    const page = expectOk(
      await request.expe<ExpeList<ExpeCharge>>(
        'GET',
        `/v1/charges${listQuery(request.params, {
          payment: request.params.payment_intent as string | undefined,
          customer: request.params.customer as string | undefined,
        })}`,
      ),
    );
    const data = await expandCharge(request, page.data, 'data.');
    return { body: toList(request.path, data, page.has_more) };
  },

  async update(request) {
    const { description, metadata, receipt_email: receiptEmail } = request.params;
    const answer = await request.expe<ExpeCharge>(
      'POST',
      `/v1/charges/${encodeURIComponent(request.id)}`,
      {
        body: {
          ...(description !== undefined ? { description } : {}),
          ...(receiptEmail !== undefined ? { receipt_email: receiptEmail } : {}),
          ...(metadata !== undefined ? { metadata } : {}),
        },
        idempotencyKey: request.idempotencyKey,
      },
    );
    if (answer.status === 404) throw StripeError.resourceMissing('charge', request.id);
    return { body: await oneCharge(request, expectOk(answer)), isReplay: answer.isReplay };
  },

  async capture(request) {
    const amount = request.params.amount as number | undefined;
    const answer = await request.expe<ExpeCharge>(
      'POST',
      `/v1/charges/${encodeURIComponent(request.id)}/capture`,
      {
        body: amount !== undefined ? { amount } : {},
        idempotencyKey: request.idempotencyKey,
      },
    );
    if (answer.status === 404) throw StripeError.resourceMissing('charge', request.id);
    if (isStateConflict(answer)) {
      const charge = await getExpeCharge(request, request.id);
      if (charge.captured) {
        throw StripeError.invalid(
          'charge_already_captured',
          `Charge ${charge.id} has already been captured.`,
        );
      }
      if (charge.refunded) {
        throw StripeError.invalid(
          'charge_already_refunded',
          `Charge ${charge.id} has already been refunded.`,
        );
      }
      throw StripeError.invalid(
        'charge_not_capturable',
        `Charge ${charge.id} cannot be captured because it has a status of ${charge.status}.`,
      );
    }
    if (answer.status >= 400) throw stripeErrorOf(answer);
    return { body: await oneCharge(request, answer.body), isReplay: answer.isReplay };
  },
};
