import { beforeAll, describe, expect, it } from 'vitest';
import {
  cardBody,
  createPaidPayment,
  createPayment,
  expectError,
  reconciliation,
  sandboxCards,
  stackPerFile,
  type KeyPrincipal,
  type TestMerchant,
} from './support.js';

const stack = stackPerFile('charges');
let merchant: TestMerchant;
let otherMerchant: TestMerchant;

beforeAll(async () => {
  [merchant, otherMerchant] = await stack.registerMerchants('Charge Shop', 'Other Charge Shop');
});

const get = (path: string, as: KeyPrincipal = merchant.testKey) => stack.call('GET', path, { as });
const post = (path: string, body: Record<string, unknown> = {}, as = merchant.testKey) =>
  stack.call('POST', path, { as, body });
const confirm = (payment: any, number: string) =>
  stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
    body: cardBody(payment.client_secret, number),
  });
const chargesOf = async (paymentId: string) => {
  const response = await get(`/v1/charges?payment=${paymentId}`);
  expect(response.status, response.text).toBe(200);
  return response.body.data as any[];
};
const eventTypesOf = async (chargeId: string) => {
  const events = await get('/v1/events?type=charge.*&limit=100');
  return (events.body.data as any[])
    .filter((event) => event.data.object.id === chargeId)
    .map((event) => event.type)
    .reverse();
};

describe('charges of payment attempts', () => {
  it('when a card pays, then the payment names a succeeded, captured charge with its card, outcome, balance transaction and receipt', async () => {
    const payment = await createPaidPayment(stack, merchant.testKey, {
      amount: 12_000,
      metadata: { order: 'A-1' },
      customer_email: 'buyer@example.com',
    });

    const charge = await get(`/v1/charges/${payment.latest_charge}`);

    expect(payment.latest_charge).toMatch(/^ch_[0-9a-z]{26}$/);
    expect(charge.status, charge.text).toBe(200);
    expect(charge.body).toEqual({
      id: payment.latest_charge,
      object: 'charge',
      amount: 12_000,
      amount_captured: 12_000,
      amount_refunded: 0,
      currency: 'inr',
      status: 'succeeded',
      paid: true,
      captured: true,
      refunded: false,
      payment: payment.id,
      customer: null,
      payment_method: null,
      payment_method_details: {
        type: 'card',
        card: {
          brand: 'visa',
          last4: '4242',
          exp_month: 12,
          exp_year: new Date().getUTCFullYear() + 2,
          funding: 'credit',
          country: 'US',
          checks: { cvc_check: 'pass', address_line1_check: null, address_postal_code_check: null },
        },
      },
      failure_code: null,
      failure_message: null,
      outcome: {
        network_status: 'approved_by_network',
        reason: null,
        risk_level: 'normal',
        seller_message: 'Payment complete.',
        type: 'authorized',
      },
      balance_transaction: expect.stringMatching(/^bt_/),
      billing_details: { address: null, email: 'buyer@example.com', name: null, phone: null },
      receipt_url: expect.stringMatching(
        new RegExp(`^https://checkout\\.expe\\.test/receipts/${payment.latest_charge}#[\\w-]{32}$`),
      ),
      receipt_email: 'buyer@example.com',
      description: 'Masala chai',
      metadata: { order: 'A-1' },
      livemode: false,
      created: expect.any(Number),
    });
    const transaction = await get(`/v1/balance_transactions/${charge.body.balance_transaction}`);
    expect(transaction.body).toMatchObject({
      type: 'payment',
      source: payment.id,
      charge: payment.latest_charge,
      amount: 12_000,
    });
    const bySource = await get(`/v1/balance_transactions?source=${payment.latest_charge}`);
    expect(bySource.body.data.map((row: any) => row.id)).toEqual([charge.body.balance_transaction]);
    expect(await eventTypesOf(payment.latest_charge)).toEqual(['charge.succeeded']);
  });

  it('when a card is declined and another then pays, then both attempts are charges, the failed one with its code and outcome, and latest_charge is the second', async () => {
    const payment = await createPayment(stack, merchant.testKey, { amount: 5_000 });

    const declined = await confirm(payment, sandboxCards.declined);
    const failedPayment = (await get(`/v1/payments/${payment.id}`)).body;
    const paid = await confirm(payment, sandboxCards.succeeds);

    expectError(declined, 402, 'card_declined');
    expect(failedPayment.latest_charge).toMatch(/^ch_/);
    const charges = await chargesOf(payment.id);
    expect(charges.map((charge) => charge.status)).toEqual(['succeeded', 'failed']);
    expect(paid.body.latest_charge).toBe(charges[0].id);
    expect(charges[1]).toMatchObject({
      id: failedPayment.latest_charge,
      status: 'failed',
      paid: false,
      captured: false,
      amount_captured: 0,
      failure_code: 'card_declined',
      failure_message: 'Your card was declined.',
      outcome: {
        network_status: 'declined_by_network',
        reason: 'generic_decline',
        type: 'issuer_declined',
      },
      balance_transaction: null,
      receipt_url: null,
      payment_method_details: { type: 'card', card: { last4: '0002' } },
    });
    expect(await eventTypesOf(charges[1].id)).toEqual(['charge.failed']);
  });

  it('when a payment waits for 3-D Secure, then there is no charge until the challenge is passed, and then one succeeded charge', async () => {
    const payment = await createPayment(stack, merchant.testKey, { amount: 7_000 });
    const challenged = await confirm(payment, '4000002500003155');

    const before = await chargesOf(payment.id);
    const passed = await stack.call('POST', `/v1/payments/${payment.id}/authenticate`, {
      body: { client_secret: payment.client_secret, outcome: 'complete' },
    });

    expect(challenged.body.status).toBe('requires_action');
    expect(challenged.body.latest_charge).toBeNull();
    expect(before).toEqual([]);
    expect(passed.status, passed.text).toBe(200);
    const charges = await chargesOf(payment.id);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ id: passed.body.latest_charge, status: 'succeeded' });
  });

  it('when a UPI payment is pending, then its charge is pending, and the same charge succeeds when the bank approves', async () => {
    const payment = await createPayment(stack, merchant.testKey, { amount: 3_000 });
    const pending = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: { client_secret: payment.client_secret, method: 'upi', upi: { vpa: 'pending@expe' } },
    });
    const pendingCharge = (await get(`/v1/charges/${pending.body.latest_charge}`)).body;

    const completed = await post(`/v1/test_helpers/payments/${payment.id}/complete`, {
      outcome: 'succeeded',
    });

    expect(pendingCharge).toMatchObject({
      status: 'pending',
      paid: false,
      payment_method_details: { type: 'upi' },
    });
    expect(completed.status, completed.text).toBe(200);
    expect(completed.body.latest_charge).toBe(pendingCharge.id);
    const charges = await chargesOf(payment.id);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ id: pendingCharge.id, status: 'succeeded', captured: true });
    expect(await eventTypesOf(pendingCharge.id)).toEqual(['charge.pending', 'charge.succeeded']);
  });
});

describe('charges of saved cards', () => {
  it('when a saved card is charged off-session and declined, then the declined attempt is a failed charge of the card, and a good card’s off-session charge a succeeded one', async () => {
    const customer = (await post('/v1/customers', { email: 'saved@example.com' })).body;
    const saveWith = async (number: string) => {
      const payment = await createPayment(stack, merchant.testKey, {
        customer: customer.id,
        setup_future_usage: 'off_session',
      });
      expect((await confirm(payment, number)).status).toBe(200);
    };
    await saveWith('4000000000000341');
    await saveWith(sandboxCards.succeeds);
    const cards = (await get(`/v1/customers/${customer.id}/payment_methods`)).body.data as any[];
    const cardOf = (last4: string) => cards.find((card) => card.card.last4 === last4).id;
    const offSession = (paymentMethod: string) =>
      post('/v1/payments', {
        amount: 2_500,
        currency: 'inr',
        customer: customer.id,
        payment_method: paymentMethod,
        confirm: true,
        off_session: true,
      });

    const declined = await offSession(cardOf('0341'));
    const paid = await offSession(cardOf('4242'));

    expectError(declined, 402, 'card_declined');
    const [failed] = await chargesOf(declined.body.error.payment.id);
    expect(failed).toMatchObject({
      id: declined.body.error.payment.latest_charge,
      status: 'failed',
      customer: customer.id,
      payment_method: cardOf('0341'),
      failure_code: 'card_declined',
      payment_method_details: { type: 'card', card: { last4: '0341' } },
    });
    expect(paid.status, paid.text).toBe(201);
    expect((await get(`/v1/charges/${paid.body.latest_charge}`)).body).toMatchObject({
      status: 'succeeded',
      captured: true,
      payment_method: cardOf('4242'),
    });
  });
});

describe('POST /v1/charges/:id/capture', () => {
  it('when an authorized charge is captured in part, then the charge and its payment are captured for that amount and a second capture is refused', async () => {
    const payment = await createPaidPayment(stack, merchant.testKey, {
      amount: 10_000,
      capture_method: 'manual',
    });
    const held = (await get(`/v1/charges/${payment.latest_charge}`)).body;

    const captured = await post(`/v1/charges/${payment.latest_charge}/capture`, { amount: 6_000 });
    const again = await post(`/v1/charges/${payment.latest_charge}/capture`);

    expect(held).toMatchObject({
      status: 'succeeded',
      paid: true,
      captured: false,
      amount_captured: 0,
      balance_transaction: null,
    });
    expect(captured.status, captured.text).toBe(200);
    expect(captured.body).toMatchObject({
      id: payment.latest_charge,
      captured: true,
      amount_captured: 6_000,
      balance_transaction: expect.stringMatching(/^bt_/),
    });
    const after = (await get(`/v1/payments/${payment.id}`)).body;
    expect(after).toMatchObject({ status: 'succeeded', amount_received: 6_000 });
    expectError(again, 409, 'payment_unexpected_state');
    expect(await eventTypesOf(held.id)).toEqual(['charge.succeeded', 'charge.captured']);
    expect((await reconciliation(stack)).ok).toBe(true);
  });

  it('when the amount is more than the charge holds, then 400 names amount and nothing is captured', async () => {
    const payment = await createPaidPayment(stack, merchant.testKey, {
      amount: 2_000,
      capture_method: 'manual',
    });

    const response = await post(`/v1/charges/${payment.latest_charge}/capture`, { amount: 2_001 });

    expectError(response, 400, 'amount_to_capture_invalid', 'amount');
    expect((await get(`/v1/payments/${payment.id}`)).body.status).toBe('requires_capture');
    expect((await get(`/v1/charges/${payment.latest_charge}`)).body.captured).toBe(false);
  });

  it('when an authorized payment is canceled, then its charge is refunded in full without having been captured', async () => {
    const payment = await createPaidPayment(stack, merchant.testKey, {
      amount: 4_000,
      capture_method: 'manual',
    });

    await post(`/v1/payments/${payment.id}/cancel`);

    expect((await get(`/v1/charges/${payment.latest_charge}`)).body).toMatchObject({
      captured: false,
      refunded: true,
      amount_refunded: 4_000,
    });
    expect(await eventTypesOf(payment.latest_charge)).toEqual([
      'charge.succeeded',
      'charge.refunded',
    ]);
  });
});

describe('refunds of a charge', () => {
  it('when a payment is refunded in part and then in full, then its charge counts amount_refunded and is refunded at the end', async () => {
    const payment = await createPaidPayment(stack, merchant.testKey, { amount: 9_000 });

    const first = await post('/v1/refunds', { payment: payment.id, amount: 4_000 });
    const partly = (await get(`/v1/charges/${payment.latest_charge}`)).body;
    await post('/v1/refunds', { payment: payment.id });
    const fully = (await get(`/v1/charges/${payment.latest_charge}`)).body;

    expect(first.body.charge).toBe(payment.latest_charge);
    expect(partly).toMatchObject({ amount_refunded: 4_000, refunded: false });
    expect(fully).toMatchObject({ amount_refunded: 9_000, refunded: true });
    expect(await eventTypesOf(payment.latest_charge)).toEqual([
      'charge.succeeded',
      'charge.refunded',
      'charge.refunded',
    ]);
  });
});

describe('POST /v1/charges/:id', () => {
  it('when metadata is updated, then keys merge, "" removes one, and description and receipt_email change, with charge.updated', async () => {
    const payment = await createPaidPayment(stack, merchant.testKey, {
      metadata: { order: 'B-2', gift: 'yes' },
    });
    const id = payment.latest_charge;

    const merged = await post(`/v1/charges/${id}`, {
      metadata: { gift: '', note: 'fragile' },
      description: 'Chai, two cups',
      receipt_email: 'someone@example.com',
    });
    const emptied = await post(`/v1/charges/${id}`, { metadata: '' });

    expect(merged.status, merged.text).toBe(200);
    expect(merged.body).toMatchObject({
      metadata: { order: 'B-2', note: 'fragile' },
      description: 'Chai, two cups',
      receipt_email: 'someone@example.com',
    });
    expect(emptied.body.metadata).toEqual({});
    // The payment's own metadata is its own.
    expect((await get(`/v1/payments/${payment.id}`)).body.metadata).toEqual({
      order: 'B-2',
      gift: 'yes',
    });
    expect(await eventTypesOf(id)).toEqual([
      'charge.succeeded',
      'charge.updated',
      'charge.updated',
    ]);
  });

  it('when the body has an unknown field or a bad email, then 400 names it and nothing changes', async () => {
    const payment = await createPaidPayment(stack, merchant.testKey);
    const id = payment.latest_charge;

    const unknown = await post(`/v1/charges/${id}`, { amount: 1 });
    const badEmail = await post(`/v1/charges/${id}`, { receipt_email: 'not-an-email' });

    expectError(unknown, 400, 'parameter_unknown', 'amount');
    expectError(badEmail, 400, 'parameter_invalid', 'receipt_email');
    expect((await get(`/v1/charges/${id}`)).body.receipt_email).toBeNull();
  });
});

describe('GET /v1/charges', () => {
  it('when listing, then newest first with cursors, filtered by payment or customer, and another project or mode sees nothing', async () => {
    const customer = await post('/v1/customers', { email: 'c@example.com' });
    const first = await createPaidPayment(stack, merchant.testKey, {
      customer: customer.body.id,
    });
    const second = await createPaidPayment(stack, merchant.testKey);

    const page = await get('/v1/charges?limit=1');
    const next = await get(`/v1/charges?limit=1&starting_after=${page.body.data[0].id}`);
    const byCustomer = await get(`/v1/charges?customer=${customer.body.id}`);
    const other = await get(`/v1/charges/${second.latest_charge}`, otherMerchant.testKey);
    const otherList = await get(`/v1/charges?payment=${second.id}`, otherMerchant.testKey);
    const live = await get(`/v1/charges/${second.latest_charge}`, merchant.liveKey);
    const otherUpdate = await post(
      `/v1/charges/${second.latest_charge}`,
      { metadata: { x: '1' } },
      otherMerchant.testKey,
    );
    const otherCapture = await post(
      `/v1/charges/${second.latest_charge}/capture`,
      {},
      otherMerchant.testKey,
    );

    expect(page.body.data[0].id).toBe(second.latest_charge);
    expect(page.body.has_more).toBe(true);
    expect(next.body.data[0].id).toBe(first.latest_charge);
    expect(byCustomer.body.data.map((charge: any) => charge.id)).toEqual([first.latest_charge]);
    expectError(other, 404, 'resource_missing');
    expect(otherList.body.data).toEqual([]);
    expectError(live, 404, 'resource_missing');
    expectError(otherUpdate, 404, 'resource_missing');
    expectError(otherCapture, 404, 'resource_missing');
    expect((await get(`/v1/charges/${second.latest_charge}`)).body.metadata).toEqual({});
  });

  it('when the id names no charge, then 404 resource_missing', async () => {
    expectError(await get('/v1/charges/pay_123'), 404, 'resource_missing', 'id');
    expectError(await get('/v1/charges/ch_0000000000'), 404, 'resource_missing', 'id');
  });
});
