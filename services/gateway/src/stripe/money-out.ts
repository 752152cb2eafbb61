import {
  StripeError,
  stripeBalanceTransactionTypes,
  toBalanceTransaction,
  toDispute,
  toList,
  toPayout,
  type ExpeBalanceTransaction,
  type ExpeDispute,
  type ExpePayout,
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
import { getExpeCharge } from './charges.js';

// Balance transactions ---------------------------------------------------------------------------

/** Stripe's `type` filter as Expe's (`charge` is a payment; `adjustment` may be a dispute). */
function expeBalanceTransactionType(type: string | undefined): string | undefined {
  if (!type) return undefined;
  return Object.entries(stripeBalanceTransactionTypes).find(([, stripe]) => stripe === type)?.[0];
}

export const balanceTransactionHandlers: Record<string, StripeHandler> = {
  async retrieve(request) {
    const answer = await request.expe<ExpeBalanceTransaction>(
      'GET',
      `/v1/balance_transactions/${encodeURIComponent(request.id)}`,
    );
    if (answer.status === 404) throw StripeError.resourceMissing('balance_transaction', request.id);
    return { body: toBalanceTransaction(expectOk(answer)) };
  },

  async list(request) {
    const type = request.params.type as string | undefined;
    const expeType = expeBalanceTransactionType(type);
    if (type && !expeType) {
      // A type Expe never writes: an empty list, as Stripe answers for a type with no rows.
      return { body: toList(request.path, [], false) };
    }
    const page = expectOk(
      await request.expe<ExpeList<ExpeBalanceTransaction>>(
        'GET',
        `/v1/balance_transactions${listQuery(request.params, {
          type: expeType,
          // A charge (ch_) is its payment row on Expe too.
          source: request.params.source as string | undefined,
        })}`,
      ),
    );
    return { body: toList(request.path, page.data.map(toBalanceTransaction), page.has_more) };
  },
};

// Payouts ----------------------------------------------------------------------------------------

/** Where a test-mode payout without a destination goes (docs/sandbox-data.md: it is paid). */
export const defaultTestPayoutVpa = 'success@expe';

export const payoutHandlers: Record<string, StripeHandler> = {
  async create(request) {
    const { amount, currency, metadata } = request.params;
    // A Stripe test account pays out to its default test bank account when none is named; a
    // test-mode project's is the sandbox address that always succeeds. Live mode names one.
    const testMode =
      request.caller.principal.kind === 'api_key' && request.caller.principal.mode === 'test';
    const destination = request.params.destination ?? (testMode ? defaultTestPayoutVpa : undefined);
    if (!destination) {
      throw StripeError.invalid(
        'parameter_missing',
        'Expe pays out to a UPI address: pass destination (e.g. success@expe)',
        'destination',
      );
    }
    const answer = await request.expe<ExpePayout>('POST', '/v1/payouts', {
      body: {
        amount,
        currency,
        destination: { vpa: destination },
        ...(metadata ? { metadata } : {}),
      },
      idempotencyKey: request.idempotencyKey,
    });
    if (answer.status === 400) {
      const error = (answer.body as { error?: { param?: string } }).error;
      if (error?.param?.startsWith('destination')) {
        const stripeError = StripeError.invalid(
          'parameter_invalid',
          'Invalid destination: use a UPI address such as success@expe',
          'destination',
        );
        throw stripeError;
      }
    }
    return { body: toPayout(expectOk(answer)), isReplay: answer.isReplay };
  },

  async retrieve(request) {
    const answer = await request.expe<ExpePayout>(
      'GET',
      `/v1/payouts/${encodeURIComponent(request.id)}`,
    );
    if (answer.status === 404) throw StripeError.resourceMissing('payout', request.id);
    return { body: toPayout(expectOk(answer)) };
  },

  async update(request) {
    const { metadata } = request.params;
    const answer = await request.expe<ExpePayout>(
      'POST',
      `/v1/payouts/${encodeURIComponent(request.id)}`,
      {
        body: metadata === undefined ? {} : { metadata },
        idempotencyKey: request.idempotencyKey,
      },
    );
    if (answer.status === 404) throw StripeError.resourceMissing('payout', request.id);
    return { body: toPayout(expectOk(answer)), isReplay: answer.isReplay };
  },

  async list(request) {
    const status = request.params.status as string | undefined;
    // Expe payouts are pending until they arrive, never in_transit: none has that status.
    if (status === 'in_transit') return { body: toList(request.path, [], false) };
    const page = expectOk(
      await request.expe<ExpeList<ExpePayout>>(
        'GET',
        `/v1/payouts${listQuery(request.params, { status })}`,
      ),
    );
    return { body: toList(request.path, page.data.map(toPayout), page.has_more) };
  },

  cancel: (request) => payoutTransition(request, 'cancel', {}),

  async reverse(request) {
    const { metadata } = request.params;
    return payoutTransition(request, 'reverse', metadata === undefined ? {} : { metadata });
  },
};

/**
 * `POST /v1/payouts/:id/cancel` or `/reverse` onto Expe's. A payout in the wrong status is
 * Expe's 409 `payout_unexpected_state`; Stripe answers such a request 400 (a 409 the SDKs would
 * retry), with the message naming the status.
 */
async function payoutTransition(
  request: StripeRequest,
  action: 'cancel' | 'reverse',
  body: Record<string, unknown>,
) {
  const answer = await request.expe<ExpePayout>(
    'POST',
    `/v1/payouts/${encodeURIComponent(request.id)}/${action}`,
    { body, idempotencyKey: request.idempotencyKey },
  );
  if (answer.status === 404) throw StripeError.resourceMissing('payout', request.id);
  if (isStateConflict(answer)) {
    throw new StripeError(400, stripeErrorOf(answer).body);
  }
  return { body: toPayout(expectOk(answer)), isReplay: answer.isReplay };
}

// Disputes ---------------------------------------------------------------------------------------

async function getDispute(request: StripeRequest): Promise<ExpeDispute> {
  const answer = await request.expe<ExpeDispute>(
    'GET',
    `/v1/disputes/${encodeURIComponent(request.id)}`,
  );
  if (answer.status === 404) throw StripeError.resourceMissing('dispute', request.id, 'dispute');
  return expectOk(answer);
}

export const disputeHandlers: Record<string, StripeHandler> = {
  async retrieve(request) {
    return { body: toDispute(await getDispute(request)) };
  },

  async update(request) {
    // The operation's spec let only Stripe's text evidence fields through (files are refused).
    const evidence = request.params.evidence as Record<string, string> | undefined;
    if (!evidence || Object.keys(evidence).length === 0) {
      return { body: toDispute(await getDispute(request)) };
    }
    const answer = await request.expe<ExpeDispute>(
      'POST',
      `/v1/disputes/${encodeURIComponent(request.id)}`,
      { body: { evidence }, idempotencyKey: request.idempotencyKey },
    );
    if (answer.status === 404) throw StripeError.resourceMissing('dispute', request.id, 'dispute');
    return { body: toDispute(expectOk(answer)), isReplay: answer.isReplay };
  },

  async close(request) {
    const answer = await request.expe<ExpeDispute>(
      'POST',
      `/v1/disputes/${encodeURIComponent(request.id)}/close`,
      { body: {}, idempotencyKey: request.idempotencyKey },
    );
    if (answer.status === 404) throw StripeError.resourceMissing('dispute', request.id, 'dispute');
    return { body: toDispute(expectOk(answer)), isReplay: answer.isReplay };
  },

  async list(request) {
    const intent = request.params.payment_intent as string | undefined;
    const charge = request.params.charge as string | undefined;
    const payment =
      intent ?? (charge ? (await getExpeCharge(request, charge, 'charge')).payment : undefined);
    const page = expectOk(
      await request.expe<ExpeList<ExpeDispute>>(
        'GET',
        `/v1/disputes${listQuery(request.params, { payment })}`,
      ),
    );
    return { body: toList(request.path, page.data.map(toDispute), page.has_more) };
  },
};
