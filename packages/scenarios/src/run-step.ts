import { ExpeApiError, type Api, type ExpeClient, type RequestOptions } from '@expe/sdk';
import type { PaymentState, StepInput, StepKind } from './scenario-schema.js';

/** What a step made or changed: its object as the API answered, and what it is. */
export interface StepResult {
  /** The API's `object`: customer, payment_method, payment, refund, dispute, qr_code, … */
  object: string;
  value: Record<string, unknown>;
  /**
   * Fields of `value` read from the API as they are now rather than answered by the step's own
   * requests: a second apply answers the requests from the first, but reads the present.
   */
  reads?: string[];
}

export interface StepCalls {
  client: ExpeClient;
  /** The Idempotency-Key of one request of the step, the same on every apply. */
  key: (call: string) => RequestOptions;
}

type Runner<K extends StepKind> = (input: StepInput<K>, calls: StepCalls) => Promise<StepResult>;

// References are resolved before a step runs, so every amount here is a number by then; a
// reference that named something else is passed on and the API names the field it refuses.
const asNumber = (value: number | string): number => value as number;
const asOptionalNumber = (value: number | string | undefined) =>
  value === undefined ? undefined : asNumber(value);

const result = <T extends { object: string }>(value: T): StepResult => ({
  object: value.object,
  value,
});

/** The sandbox card that reaches each state (docs/sandbox-data.md). */
const defaultCards: Partial<Record<PaymentState, string>> = {
  declined: '4000000000000002',
  disputed: '4000000000000259',
  requires_action: '4000002500003155',
};
const successCard = '4242424242424242';

/** Any future expiry works with a sandbox card; five years on is always in the future. */
function testCard(number: string) {
  return {
    number,
    exp_month: 12,
    exp_year: new Date().getUTCFullYear() + 5,
    cvc: '123',
  };
}

/** The payment a 402 carries (`error.payment`): a declined card leaves it unpaid. */
function declinedPayment(error: unknown): Api.Payment | undefined {
  if (!(error instanceof ExpeApiError) || error.status !== 402) return undefined;
  const payment = (error.raw as { error?: { payment?: Api.Payment } } | undefined)?.error?.payment;
  return payment?.object === 'payment' ? payment : undefined;
}

async function payPayment(
  input: StepInput<'payment'>,
  state: PaymentState,
  params: Api.CreatePaymentInput,
  { client, key }: StepCalls,
): Promise<Api.Payment> {
  try {
    if (input.payment_method !== undefined) {
      return await client.payments.create(
        {
          ...params,
          payment_method: input.payment_method,
          confirm: true,
          ...(input.off_session ? { off_session: true } : {}),
        },
        key('create'),
      );
    }
    const created = await client.payments.create(params, key('create'));
    const vpa = input.vpa ?? (state === 'processing' && !input.card ? 'pending@expe' : undefined);
    return await client.payments.confirm(
      created.id,
      vpa === undefined
        ? {
            client_secret: created.client_secret,
            method: 'card',
            card: testCard(input.card ?? defaultCards[state] ?? successCard),
          }
        : { client_secret: created.client_secret, method: 'upi', upi: { vpa } },
      key('confirm'),
    );
  } catch (error) {
    const declined = state === 'declined' ? declinedPayment(error) : undefined;
    if (declined) return declined;
    throw error;
  }
}

const runPayment: Runner<'payment'> = async (input, calls) => {
  const { client, key } = calls;
  const state = input.state ?? 'succeeded';
  const params: Api.CreatePaymentInput = {
    amount: asNumber(input.amount),
    currency: input.currency ?? 'inr',
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
    ...(input.customer !== undefined ? { customer: input.customer } : {}),
    ...(input.customer_email !== undefined ? { customer_email: input.customer_email } : {}),
    ...(input.return_url !== undefined ? { return_url: input.return_url } : {}),
    ...(input.setup_future_usage !== undefined
      ? { setup_future_usage: input.setup_future_usage }
      : {}),
    ...(state === 'requires_capture' ? { capture_method: 'manual' as const } : {}),
  };
  if (state === 'requires_payment_method') {
    return result(await client.payments.create(params, key('create')));
  }
  if (state === 'canceled') {
    const created = await client.payments.create(params, key('create'));
    return result(await client.payments.cancel(created.id, key('cancel')));
  }
  const paid = await payPayment(input, state, params, calls);
  if (state === 'disputed' && paid.status === 'succeeded') {
    // The sandbox cardholder disputes at once, in the payment's own transaction.
    const disputes = await client.disputes.list({ payment: paid.id, limit: 1 });
    return { ...result({ ...paid, dispute: disputes.data[0] ?? null }), reads: ['dispute'] };
  }
  if (state === 'refunded' && paid.status === 'succeeded') {
    const refund = await client.refunds.create({ payment: paid.id }, key('refund'));
    // The payment as the refund left it: its one refund, of the whole amount.
    return result({ ...paid, amount_refunded: refund.amount, refund });
  }
  return result(paid);
};

/** Each kind of step as calls of Expe's API. */
export const runners: { [K in StepKind]: Runner<K> } = {
  customer: async (input, { client, key }) =>
    result(await client.customers.create(input as Api.CreateCustomerInput, key('create'))),

  saved_card: async (input, { client, key }) => {
    const created = await client.paymentMethods.create(
      {
        type: 'card',
        card:
          input.number !== undefined
            ? testCard(input.number)
            : { token: input.token ?? 'tok_visa' },
        ...(input.billing_details !== undefined ? { billing_details: input.billing_details } : {}),
        ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
      },
      key('create'),
    );
    return result(
      await client.paymentMethods.attach(created.id, { customer: input.customer }, key('attach')),
    );
  },

  payment: runPayment,

  capture: async (input, { client, key }) =>
    result(
      await client.payments.capture(
        input.payment,
        input.amount_to_capture === undefined
          ? {}
          : { amount_to_capture: asNumber(input.amount_to_capture) },
        key('capture'),
      ),
    ),

  refund: async (input, { client, key }) =>
    result(
      await client.refunds.create(
        {
          payment: input.payment,
          ...(input.amount !== undefined ? { amount: asNumber(input.amount) } : {}),
          ...(input.reason !== undefined ? { reason: input.reason } : {}),
          ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
        },
        key('create'),
      ),
    ),

  dispute_response: async (input, { client, key }) =>
    result(
      input.accept
        ? await client.disputes.close(input.dispute, key('close'))
        : await client.disputes.update(
            input.dispute,
            { evidence: input.evidence } as Api.UpdateDisputeInput,
            key('update'),
          ),
    ),

  qr_code: async (input, { client, key }) => {
    const amount = asOptionalNumber(input.amount);
    return result(
      await client.qrCodes.create(
        {
          usage: input.usage ?? 'single_use',
          fixed_amount: amount !== undefined,
          ...(amount !== undefined ? { amount } : {}),
          description: input.description,
          ...(input.close_by !== undefined ? { close_by: asNumber(input.close_by) } : {}),
          ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
        },
        key('create'),
      ),
    );
  },

  qr_payment: async (input, { client, key }) =>
    result(
      await client.testHelpers.qrCodes.pay(
        input.qr_code,
        { amount: asNumber(input.amount), vpa: input.vpa ?? 'success@expe' },
        key('pay'),
      ),
    ),

  payout: async (input, { client, key }) =>
    result(
      await client.payouts.create(
        {
          amount: asNumber(input.amount),
          currency: input.currency ?? 'inr',
          destination: { vpa: input.vpa ?? 'success@expe' },
          ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
        },
        key('create'),
      ),
    ),

  advance_clock: async (input, { client, key }) => {
    const seconds =
      (input.seconds ?? 0) +
      (input.minutes ?? 0) * 60 +
      (input.hours ?? 0) * 3600 +
      (input.days ?? 0) * 86_400;
    return result(await client.testHelpers.clock.advance({ seconds }, key('advance')));
  },

  complete_payment: async (input, { client, key }) =>
    result(
      await client.testHelpers.payments.complete(
        input.payment,
        { outcome: input.outcome },
        key('complete'),
      ),
    ),

  // A read, not a write: the object as it is now, for `expect` to look at (after a clock advance,
  // say). A second apply reads it again.
  check: async (input, { client }) => {
    const read = async (): Promise<{ object: string }> => {
      if (input.payment !== undefined) return client.payments.retrieve(input.payment);
      if (input.customer !== undefined) return client.customers.retrieve(input.customer);
      if (input.payment_method !== undefined) {
        return client.paymentMethods.retrieve(input.payment_method);
      }
      if (input.refund !== undefined) return client.refunds.retrieve(input.refund);
      if (input.dispute !== undefined) return client.disputes.retrieve(input.dispute);
      if (input.qr_code !== undefined) return client.qrCodes.retrieve(input.qr_code);
      if (input.payout !== undefined) return client.payouts.retrieve(input.payout);
      if (input.charge !== undefined) return client.charges.retrieve(input.charge);
      if (input.balance) return client.balance.retrieve();
      return client.testHelpers.clock.retrieve();
    };
    return result(await read());
  },

  authenticate: async (input, { client, key }) => {
    // The challenge is answered with the payment's client secret, as the hosted page does.
    const payment = await client.payments.retrieve(input.payment);
    return result(
      await client.payments.authenticate(
        input.payment,
        { client_secret: payment.client_secret, outcome: input.outcome },
        key('authenticate'),
      ),
    );
  },
};

/** Why a payment step's object is not in the state it asked for, or undefined when it is. */
export function missedState(
  state: PaymentState,
  payment: Record<string, unknown>,
): string | undefined {
  const status = payment.status;
  const error = (payment.last_payment_error as { code?: string } | null | undefined)?.code;
  const got = `got ${String(status)}${error ? ` (${error})` : ''}`;
  switch (state) {
    case 'declined':
      return status === 'requires_payment_method' && error
        ? undefined
        : `expected a declined payment (requires_payment_method with last_payment_error), ${got}`;
    case 'disputed':
      return status === 'succeeded' && payment.dispute
        ? undefined
        : `expected a succeeded payment with a dispute (card 4000000000000259), ${got}${status === 'succeeded' ? ' and no dispute' : ''}`;
    case 'refunded':
      return status === 'succeeded' && payment.amount_refunded === payment.amount
        ? undefined
        : `expected a payment refunded in full, ${got} with amount_refunded ${String(payment.amount_refunded)}`;
    default:
      return status === state ? undefined : `expected ${state}, ${got}`;
  }
}
