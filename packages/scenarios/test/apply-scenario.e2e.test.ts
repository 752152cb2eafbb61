import { autoPaginate, createExpeClient, type ExpeClient, type ListResponse } from '@expe/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  onboardMerchant,
  startTestPlatform,
  type OnboardedMerchant,
  type TestPlatform,
} from '../../../test/support/test-platform.js';
import { applyScenario, parseScenario, ScenarioError, type Scenario } from '../src/index.js';

let t: TestPlatform;

beforeAll(async () => {
  // pending@expe settles only when the scenario says so (complete_payment), not on a timer.
  t = await startTestPlatform({ UPI_PENDING_DELAY_MS: '3600000' });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

/** Every kind of step, each payment state, references between them and expectations. */
const everyStep = parseScenario(`
version: 1
name: every-step
steps:
  - id: customer
    customer: { email: asha@example.com, name: Asha }
  - id: card
    saved_card: { customer: "\${customer.id}", token: tok_visa }
    expect: { customer: "\${customer.id}", card.last4: "4242" }
  - id: order
    payment: { amount: 49900, customer: "\${customer.id}", description: "Order for \${customer.name}" }
    expect: { status: succeeded, description: Order for Asha }
  - id: renewal
    payment: { amount: 9900, customer: "\${customer.id}", payment_method: "\${card.id}", off_session: true }
    expect: { status: succeeded, payment_method: "\${card.id}" }
  - id: held
    payment: { amount: 30000, state: requires_capture }
    expect: { amount_capturable: 30000 }
  - id: captured
    capture: { payment: "\${held.id}", amount_to_capture: 20000 }
    expect: { status: succeeded, amount_received: 20000 }
  - id: disputed
    payment: { amount: 15000, state: disputed }
    expect: { dispute.status: needs_response, dispute.amount: 15000 }
  - id: won
    dispute_response: { dispute: "\${disputed.dispute.id}", evidence: { uncategorized_text: winning_evidence } }
    expect: { status: won }
  - id: refunded
    payment: { amount: 12000, state: refunded }
    expect: { refund.amount: 12000 }
  - id: partial
    refund: { payment: "\${order.id}", amount: 900, reason: requested_by_customer }
    expect: { status: succeeded, amount: 900 }
  - id: declined
    payment: { amount: 5000, state: declined }
    expect: { last_payment_error.code: card_declined }
  - id: challenged
    payment: { amount: 7000, state: requires_action }
  - id: authenticated
    authenticate: { payment: "\${challenged.id}", outcome: complete }
    expect: { status: succeeded }
  - id: pending
    payment: { amount: 8000, state: processing, vpa: pending@expe }
  - id: settled
    complete_payment: { payment: "\${pending.id}", outcome: succeeded }
    expect: { status: succeeded }
  - id: abandoned
    payment: { amount: 1000, state: canceled }
  - id: open
    payment: { amount: 1100, state: requires_payment_method }
  - id: qr
    qr_code: { description: Table 4, amount: 2500 }
    expect: { fixed_amount: true, status: active }
  - id: qr_paid
    qr_payment: { qr_code: "\${qr.id}", amount: 2500 }
    expect: { status: succeeded, qr_code: "\${qr.id}" }
  - id: two_days_later
    advance_clock: { days: 2 }
  - id: payout
    payout: { amount: 10000 }
    expect: { status: paid, destination.vpa: success@expe }
outputs:
  customer_id: \${customer.id}
  dispute_id: \${disputed.dispute.id}
  note: paid out \${payout.amount} to \${payout.destination.vpa}
`);

/** How many of each object the sandbox holds, its events and its clock. */
async function countObjects(client: ExpeClient) {
  const count = async <T extends { id: string }>(
    list: (params?: { limit?: number }) => Promise<ListResponse<T>>,
  ) => {
    let n = 0;
    for await (const _ of autoPaginate(list, { limit: 100 })) n++;
    return n;
  };
  return {
    customers: await count(client.customers.list),
    payment_methods: await count(client.paymentMethods.list),
    payments: await count(client.payments.list),
    charges: await count(client.charges.list),
    refunds: await count(client.refunds.list),
    disputes: await count(client.disputes.list),
    qr_codes: await count(client.qrCodes.list),
    payouts: await count(client.payouts.list),
    balance_transactions: await count(client.balanceTransactions.list),
    events: await count(client.events.list),
    clock_offset: (await client.testHelpers.clock.retrieve()).offset_seconds,
    balance: (await client.balance.retrieve()).available,
  };
}

async function applyError(scenario: Scenario, merchant: OnboardedMerchant, secretKey?: string) {
  try {
    await applyScenario(scenario, { baseUrl: t.url, secretKey: secretKey ?? merchant.key.secret });
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error('applied');
}

describe('applyScenario', () => {
  it('when a scenario is applied twice to one sandbox, then the second apply reuses every object and writes nothing', async () => {
    const merchant = await onboardMerchant(t, 'scenario-twice');
    const client = createExpeClient({ apiKey: merchant.key.secret, baseUrl: t.url });
    const empty = await countObjects(client);

    const first = await applyScenario(everyStep, {
      baseUrl: t.url,
      secretKey: merchant.key.secret,
    });
    const afterFirst = await countObjects(client);
    const second = await applyScenario(everyStep, {
      baseUrl: t.url,
      secretKey: merchant.key.secret,
    });
    const afterSecond = await countObjects(client);

    expect(first.steps.map((step) => step.outcome)).toEqual(everyStep.steps.map(() => 'created'));
    expect(second.steps.map((step) => step.outcome)).toEqual(everyStep.steps.map(() => 'reused'));
    expect(second.steps.map((step) => step.objectId)).toEqual(
      first.steps.map((step) => step.objectId),
    );
    expect(second.outputs).toEqual(first.outputs);
    expect(first.outputs).toEqual({
      customer_id: first.steps[0]!.objectId,
      dispute_id: expect.stringMatching(/^dp_/),
      note: 'paid out 10000 to success@expe',
    });
    expect(first.projectId).toBe(merchant.project.id);
    expect(afterFirst).toMatchObject({
      customers: empty.customers + 1,
      payment_methods: empty.payment_methods + 1,
      // order, renewal, held, disputed, refunded, declined, challenged, pending, abandoned, open, qr_paid
      payments: empty.payments + 11,
      refunds: empty.refunds + 2,
      disputes: empty.disputes + 1,
      qr_codes: empty.qr_codes + 1,
      payouts: empty.payouts + 1,
      clock_offset: expect.any(Number),
    });
    expect(afterFirst.clock_offset).toBeGreaterThanOrEqual(empty.clock_offset + 2 * 86_400);
    expect(afterFirst.events).toBeGreaterThan(empty.events);
    expect(afterSecond).toEqual(afterFirst);
  }, 60_000);

  it('when a step does not end as its expect says, then the apply stops there with expectation_failed naming the step and field', async () => {
    const merchant = await onboardMerchant(t, 'scenario-expect');
    const scenario = parseScenario({
      version: 1,
      name: 'wrong-expectation',
      steps: [
        { id: 'order', payment: { amount: 1000 }, expect: { status: 'requires_capture' } },
        { id: 'never', customer: {} },
      ],
    });

    const error = await applyError(scenario, merchant);
    const customers = await createExpeClient({
      apiKey: merchant.key.secret,
      baseUrl: t.url,
    }).customers.list();

    expect(error.code).toBe('expectation_failed');
    expect(error.step).toBe('order');
    expect(error.failures).toEqual([
      { field: 'status', expected: 'requires_capture', actual: 'succeeded' },
    ]);
    expect(error.message).toBe(
      'step "order" (payment): status: expected "requires_capture", got "succeeded"',
    );
    expect(customers.data).toEqual([]);
  });

  it('when a card does not reach the state asked for, then the step fails with the API error', async () => {
    const merchant = await onboardMerchant(t, 'scenario-declined');
    const scenario = parseScenario({
      version: 1,
      name: 'declined-card',
      steps: [{ id: 'order', payment: { amount: 1000, card: '4000000000000002' } }],
    });

    const error = await applyError(scenario, merchant);

    expect(error.code).toBe('step_failed');
    expect(error.step).toBe('order');
    expect(error.message).toMatch(/^step "order" \(payment\) failed: .*\(card_declined/);
  });

  it('when a reference names a field the object does not have, then the step fails naming it and nothing of it is written', async () => {
    const merchant = await onboardMerchant(t, 'scenario-ref');
    const scenario = parseScenario({
      version: 1,
      name: 'bad-reference',
      steps: [
        { id: 'customer', customer: {} },
        { id: 'order', payment: { amount: 1000, customer: '${customer.customer_id}' } },
      ],
    });

    const error = await applyError(scenario, merchant);
    const payments = await createExpeClient({
      apiKey: merchant.key.secret,
      baseUrl: t.url,
    }).payments.list();

    expect(error.code).toBe('unresolved_reference');
    expect(error.step).toBe('order');
    expect(error.message).toContain(
      'step "order": payment.customer: ${customer.customer_id}: customer has no field "customer_id" (it has: id, object,',
    );
    expect(payments.data).toEqual([]);
  });

  it('when a scenario changes under the same name and is applied again, then scenario_changed names the step and nothing is written', async () => {
    const merchant = await onboardMerchant(t, 'scenario-changed');
    const client = createExpeClient({ apiKey: merchant.key.secret, baseUrl: t.url });
    const version = (amount: number) =>
      parseScenario({
        version: 1,
        name: 'changing',
        steps: [{ id: 'order', payment: { amount } }],
      });
    await applyScenario(version(1000), { baseUrl: t.url, secretKey: merchant.key.secret });

    const error = await applyError(version(2000), merchant);

    expect(error.code).toBe('scenario_changed');
    expect(error.step).toBe('order');
    expect((await client.payments.list()).data.map((payment) => payment.amount)).toEqual([1000]);
  });

  it('when the key is a live key, then nothing is applied', async () => {
    const merchant = await onboardMerchant(t, 'scenario-live');
    const live = await t.api('POST', `/v1/projects/${merchant.project.id}/api_keys`, {
      token: merchant.token,
      body: { name: 'live', mode: 'live' },
    });
    expect(live.status).toBe(201);

    const error = await applyError(everyStep, merchant, live.body.secret as string);

    expect(error.code).toBe('live_mode');
  });
});
