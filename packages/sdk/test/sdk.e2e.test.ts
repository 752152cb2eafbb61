import {
  autoPaginate,
  createExpeClient,
  ExpeAuthenticationError,
  ExpeCardError,
  ExpeConnectionError,
  ExpeInvalidRequestError,
  type ExpeClient,
} from '@expe/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  onboardMerchant,
  registerUser,
  startTestPlatform,
  uniqueEmail,
  type OnboardedMerchant,
  type TestPlatform,
} from '../../../test/support/test-platform.js';

let t: TestPlatform;
let merchant: OnboardedMerchant;
let expe: ExpeClient;

beforeAll(async () => {
  t = await startTestPlatform();
  merchant = await onboardMerchant(t, 'sdk');
  expe = createExpeClient({ apiKey: merchant.key.secret, baseUrl: t.url });
});

afterAll(async () => {
  await t?.close();
});

/** A merchant of its own, for tests that read the balance or move the project clock. */
const fresh = (label: string) => onboardMerchant(t, label);

const card = (number: string) => ({ number, exp_month: 12, exp_year: 2034, cvc: '123' });

describe('@expe/sdk against the platform', () => {
  it('when a merchant takes, refunds and looks up a payment with the SDK, then every resource answers its typed object', async () => {
    const account = await expe.account.retrieve();
    const payment = await expe.payments.create({
      amount: 49900,
      currency: 'inr',
      description: 'Masala chai',
      metadata: { order: '7' },
    });
    const paid = await expe.payments.confirm(payment.id, {
      client_secret: payment.client_secret,
      method: 'card',
      card: card('4242424242424242'),
    });
    const refund = await expe.refunds.create({ payment: payment.id, amount: 9900 });
    const [retrieved, listed, refunds, balance, timeline, qr, events] = await Promise.all([
      expe.payments.retrieve(payment.id),
      expe.payments.list({ status: 'succeeded', limit: 5 }),
      expe.refunds.list({ payment: payment.id }),
      expe.balance.retrieve(),
      expe.payments.timeline(payment.id),
      expe.payments.qrCode(payment.id, { format: 'svg' }),
      expe.events.list({ type: 'payment.succeeded' }),
    ]);
    const toCancel = await expe.payments.create({ amount: 100, currency: 'inr' });
    const canceled = await expe.payments.cancel(toCancel.id);

    expect(account).toMatchObject({ object: 'account', mode: 'test', key_id: merchant.key.id });
    expect(paid.status).toBe('succeeded');
    expect(retrieved).toMatchObject({ id: payment.id, amount_refunded: 9900 });
    expect(listed.data.map((p) => p.id)).toEqual([payment.id]);
    expect(refunds.data).toEqual([expect.objectContaining({ id: refund.id, amount: 9900 })]);
    expect(await expe.refunds.retrieve(refund.id)).toMatchObject({ status: 'succeeded' });
    // The attempt is a charge: listed, read and annotated through the SDK.
    const charges = await expe.charges.list({ payment: payment.id });
    expect(charges.data).toEqual([
      expect.objectContaining({
        id: paid.latest_charge,
        status: 'succeeded',
        amount_refunded: 9900,
      }),
    ]);
    const annotated = await expe.charges.update(paid.latest_charge!, { metadata: { desk: '3' } });
    expect(annotated.metadata).toEqual({ order: '7', desk: '3' });
    expect(await expe.charges.retrieve(annotated.id)).toMatchObject({
      receipt_url: expect.any(String),
    });
    // Pending for 2 days, net of the sandbox fee (1 298) less the refund (9 900 − its 258 fee share).
    expect(balance).toMatchObject({
      available: [{ amount: 0, currency: 'inr' }],
      pending: [{ amount: 49900 - 1298 - (9900 - 258), currency: 'inr' }],
    });
    expect(timeline.data.map((entry) => entry.type)).toContain('payment.succeeded');
    expect(new TextDecoder().decode(qr)).toContain('<svg');
    expect(events.data[0]!.data.object.id).toBe(payment.id);
    expect(await expe.events.retrieve(events.data[0]!.id)).toEqual(events.data[0]);
    expect(canceled.status).toBe('canceled');
  });

  it('when a person uses the wallet with their access token, then top-up, transfer and history work', async () => {
    const sender = await registerUser(t, 'sdk-sender');
    const recipient = await registerUser(t, 'sdk-recipient');
    const wallet = createExpeClient({ apiKey: sender.access_token, baseUrl: t.url }).wallet;

    await wallet.topup({ amount: 10000 });
    const transfer = await wallet.transfer({ to: recipient.user.vpa, amount: 2500, note: 'chai' });
    const after = await wallet.retrieve();
    const history = await wallet.listTransactions({ type: 'transfer_out' });

    expect(transfer).toMatchObject({ object: 'transfer', amount: 2500, status: 'completed' });
    expect(after.balance).toBe(7500);
    expect(history.data.map((entry) => entry.amount)).toEqual([-2500]);
  });

  it('when a customer pays once saving the card, then the SDK charges it off-session and detaches it', async () => {
    const customer = await expe.customers.create({
      email: uniqueEmail('sdk-customer'),
      name: 'Asha',
    });
    const first = await expe.payments.create({
      amount: 5000,
      currency: 'inr',
      customer: customer.id,
      setup_future_usage: 'off_session',
    });
    await expe.payments.confirm(first.id, {
      client_secret: first.client_secret,
      method: 'card',
      card: card('4242424242424242'),
    });
    const saved = await expe.customers.listPaymentMethods(customer.id);
    const pm = saved.data[0]!;

    const offSession = await expe.payments.create({
      amount: 9900,
      currency: 'inr',
      customer: customer.id,
      payment_method: pm.id,
      confirm: true,
      off_session: true,
    });
    const updated = await expe.customers.update(customer.id, { name: 'Asha K' });
    const found = await expe.customers.list({ email: customer.email! });
    const detached = await expe.paymentMethods.detach(pm.id);
    const afterDetach = await expe.customers.listPaymentMethods(customer.id);
    const deleted = await expe.customers.del(customer.id);

    expect(saved.data).toEqual([
      expect.objectContaining({ object: 'payment_method', customer: customer.id }),
    ]);
    expect(pm.card.last4).toBe('4242');
    expect(offSession).toMatchObject({ status: 'succeeded', payment_method: pm.id });
    expect(updated.name).toBe('Asha K');
    expect(found.data.map((c) => c.id)).toEqual([customer.id]);
    expect(detached.customer).toBeNull();
    expect(await expe.paymentMethods.retrieve(pm.id)).toMatchObject({ customer: null });
    expect(afterDetach.data).toEqual([]);
    expect(deleted).toEqual({ id: customer.id, object: 'customer', deleted: true });
  });

  it('when a PaymentMethod is created, updated and attached, and a SetupIntent saves another, then the SDK lists both on the customer and charges one off-session', async () => {
    const customer = await expe.customers.create({ name: 'Ravi' });
    const created = await expe.paymentMethods.create({
      type: 'card',
      card: { token: 'tok_visa' },
      metadata: { source: 'sdk' },
    });
    const updated = await expe.paymentMethods.update(created.id, {
      billing_details: { name: 'Ravi Kumar' },
      metadata: { source: '', kept: 'yes' },
    });
    const attached = await expe.paymentMethods.attach(created.id, { customer: customer.id });
    const other = await expe.paymentMethods.create({
      type: 'card',
      card: { token: 'tok_mastercard' },
    });
    const setup = await expe.setupIntents.create({
      customer: customer.id,
      payment_method: other.id,
      confirm: true,
    });
    const listed = await expe.paymentMethods.list({ customer: customer.id });
    const setups = await expe.setupIntents.list({ customer: customer.id });
    const charged = await expe.payments.create({
      amount: 4200,
      currency: 'inr',
      customer: customer.id,
      payment_method: other.id,
      confirm: true,
      off_session: true,
    });

    expect(created).toMatchObject({ customer: null, card: { last4: '4242' } });
    expect(updated).toMatchObject({
      billing_details: { name: 'Ravi Kumar' },
      metadata: { kept: 'yes' },
    });
    expect(attached.customer).toBe(customer.id);
    expect(setup).toMatchObject({ status: 'succeeded', payment_method: other.id });
    expect(listed.data.map((item) => item.id).sort()).toEqual([created.id, other.id].sort());
    expect(setups.data.map((item) => item.id)).toEqual([setup.id]);
    expect(await expe.setupIntents.retrieve(setup.id)).toMatchObject({ customer: customer.id });
    expect(charged.status).toBe('succeeded');
  });

  it('when a manual-capture payment is captured in part, then the rest is released and the balance gets only the captured net', async () => {
    const payments = createExpeClient({
      apiKey: (await fresh('sdk-capture')).key.secret,
      baseUrl: t.url,
    });
    const payment = await payments.payments.create({
      amount: 10000,
      currency: 'inr',
      capture_method: 'manual',
    });
    const authorized = await payments.payments.confirm(payment.id, {
      client_secret: payment.client_secret,
      method: 'card',
      card: card('4242424242424242'),
    });

    const captured = await payments.payments.capture(payment.id, { amount_to_capture: 6000 });
    const balance = await payments.balance.retrieve();

    expect(authorized).toMatchObject({ status: 'requires_capture', amount_capturable: 10000 });
    expect(captured).toMatchObject({
      status: 'succeeded',
      amount_received: 6000,
      amount_capturable: 0,
    });
    // 2 % of 6 000 plus ₹3: 420 fee.
    expect(balance.pending).toEqual([{ amount: 6000 - 420, currency: 'inr' }]);
  });

  it('when funds become available on the test clock, then a payout to success@expe is paid and shows in the balance transactions', async () => {
    const client = createExpeClient({
      apiKey: (await fresh('sdk-payout')).key.secret,
      baseUrl: t.url,
    });
    const payment = await client.payments.create({ amount: 20000, currency: 'inr' });
    await client.payments.confirm(payment.id, {
      client_secret: payment.client_secret,
      method: 'card',
      card: card('4242424242424242'),
    });
    const before = await client.testHelpers.clock.retrieve();

    const clock = await client.testHelpers.clock.advance({ seconds: 2 * 86400 });
    const available = await client.balance.retrieve();
    const payout = await client.payouts.create({
      amount: 15000,
      currency: 'inr',
      destination: { vpa: 'success@expe' },
    });
    const after = await client.balance.retrieve();
    const movements = await client.balanceTransactions.list({ source: payout.id });
    const payouts = await client.payouts.list({ status: 'paid' });

    expect(clock.now - before.now).toBeGreaterThanOrEqual(2 * 86400);
    // 20 000 less the fee (400 + 300).
    expect(available.available).toEqual([{ amount: 19300, currency: 'inr' }]);
    expect(payout).toMatchObject({ object: 'payout', status: 'paid', amount: 15000 });
    expect(await client.payouts.retrieve(payout.id)).toEqual(payout);
    expect(payouts.data.map((p) => p.id)).toEqual([payout.id]);
    expect(after.available).toEqual([{ amount: 4300, currency: 'inr' }]);
    expect(movements.data).toEqual([
      expect.objectContaining({ type: 'payout', amount: -15000, source: payout.id }),
    ]);
    expect(await client.balanceTransactions.retrieve(movements.data[0]!.id)).toEqual(
      movements.data[0],
    );

    // A payout to pending@expe waits a day and can be canceled; a paid one can be reversed.
    const pending = await client.payouts.create({
      amount: 1000,
      currency: 'inr',
      destination: { vpa: 'pending@expe' },
    });
    const canceled = await client.payouts.cancel(pending.id);
    const canceledAgain = await client.payouts.cancel(pending.id).catch((error: unknown) => error);
    const reversal = await client.payouts.reverse(payout.id, { metadata: { why: 'sdk' } });

    expect(pending.status).toBe('pending');
    expect(canceled).toMatchObject({ id: pending.id, status: 'canceled' });
    expect(canceledAgain).toMatchObject({ status: 409, code: 'payout_unexpected_state' });
    expect(reversal).toMatchObject({ original_payout: payout.id, amount: 15000, status: 'paid' });
    expect((await client.payouts.retrieve(payout.id)).reversed_by).toBe(reversal.id);
    expect((await client.balance.retrieve()).available).toEqual([
      { amount: 19300, currency: 'inr' },
    ]);
  });

  it('when a disputed payment is defended with winning evidence after the clock moves, then the dispute is won and the money is back', async () => {
    const client = createExpeClient({
      apiKey: (await fresh('sdk-dispute')).key.secret,
      baseUrl: t.url,
    });
    const payment = await client.payments.create({ amount: 10000, currency: 'inr' });
    await client.payments.confirm(payment.id, {
      client_secret: payment.client_secret,
      method: 'card',
      card: card('4000000000000259'),
    });
    const opened = await client.disputes.list({ payment: payment.id });
    const dispute = opened.data[0]!;
    const whileDisputed = await client.balance.retrieve();

    await client.testHelpers.clock.advance({ seconds: 2 * 86400 });
    const kept = await client.disputes.update(dispute.id, {
      evidence: { uncategorized_text: 'Delivered on 3 March, signed by the customer' },
    });
    const won = await client.disputes.update(dispute.id, {
      evidence: { uncategorized_text: 'winning_evidence' },
    });
    const closedAgain = await client.disputes.close(dispute.id).catch((error: unknown) => error);
    const after = await client.balance.retrieve();

    expect(dispute).toMatchObject({ status: 'needs_response', amount: 10000 });
    expect(whileDisputed.pending).toEqual([{ amount: 0, currency: 'inr' }]);
    expect(kept.status).toBe('needs_response');
    expect(won).toMatchObject({ status: 'won' });
    expect(await client.disputes.retrieve(dispute.id)).toMatchObject({ status: 'won' });
    expect(closedAgain).toMatchObject({ status: 409, code: 'dispute_closed' });
    // Won: the amount and the fee come back, and by now they are available.
    expect(after.available).toEqual([{ amount: 10000 - 500, currency: 'inr' }]);
  });

  it('when a UPI app pays a single-use QR code through the test helper, then the code counts the payment and closes', async () => {
    const qr = await expe.qrCodes.create({
      usage: 'single_use',
      fixed_amount: true,
      amount: 2500,
      description: 'Table 4',
    });
    const svg = await expe.qrCodes.image(qr.id, { format: 'svg' });

    const payment = await expe.testHelpers.qrCodes.pay(qr.id, {
      amount: 2500,
      vpa: 'success@expe',
    });
    const after = await expe.qrCodes.retrieve(qr.id);
    const paid = await expe.qrCodes.listPayments(qr.id);
    const closed = await expe.qrCodes.list({ status: 'closed' });
    const other = await expe.qrCodes.create({
      usage: 'multiple_use',
      fixed_amount: false,
      description: 'Tips',
    });
    const closedByMe = await expe.qrCodes.close(other.id);

    expect(qr).toMatchObject({ object: 'qr_code', status: 'active', amount: 2500 });
    expect(new TextDecoder().decode(svg)).toContain('<svg');
    expect(payment).toMatchObject({ status: 'succeeded', qr_code: qr.id, amount: 2500 });
    expect(after).toMatchObject({
      status: 'closed',
      close_reason: 'paid',
      payments_count: 1,
      payments_amount_received: 2500,
    });
    expect(paid.data.map((p) => p.id)).toEqual([payment.id]);
    expect(closed.data.map((q) => q.id)).toContain(qr.id);
    expect(closedByMe).toMatchObject({ status: 'closed', close_reason: 'closed_by_merchant' });
  });

  it('when a payment link is opened by a visitor, then the SDK starts its payment without the API key', async () => {
    const link = await expe.paymentLinks.create({
      amount: 4900,
      currency: 'inr',
      description: 'Cooking class',
    });
    const visitor = createExpeClient({ apiKey: '', baseUrl: t.url });

    const checkout = await visitor.paymentLinks.checkout(link.id);
    const payment = await expe.payments.retrieve(checkout.payment);
    const deactivated = await expe.paymentLinks.update(link.id, { active: false });
    const listed = await expe.paymentLinks.list();

    expect(link).toMatchObject({ object: 'payment_link', active: true, amount: 4900 });
    expect(payment).toMatchObject({ amount: 4900, payment_link: link.id });
    expect(checkout.client_secret).toBe(payment.client_secret);
    expect(deactivated.active).toBe(false);
    expect(listed.data.map((l) => l.id)).toContain(link.id);
    expect(await expe.paymentLinks.retrieve(link.id)).toEqual(deactivated);
  });

  it('when a Checkout Session is made, paid on the hosted page and listed with the SDK, then it is complete with its line items', async () => {
    const session = await expe.checkout.sessions.create({
      line_items: [
        {
          price_data: { currency: 'inr', unit_amount: 2500, product_data: { name: 'Chai' } },
          quantity: 2,
        },
      ],
      client_reference_id: 'order-sdk',
      success_url: 'https://shop.example/thanks?session={CHECKOUT_SESSION_ID}',
    });
    const items = await expe.checkout.sessions.listLineItems(session.id);
    const payment = await expe.payments.retrieve(session.payment_intent);
    await expe.payments.confirm(payment.id, {
      client_secret: payment.client_secret,
      method: 'card',
      card: card('4242424242424242'),
    });
    const completed = await expe.checkout.sessions.retrieve(session.id);
    const listed = await expe.checkout.sessions.list({ payment_intent: payment.id });
    const open = await expe.checkout.sessions.create({
      line_items: [
        {
          price_data: { currency: 'inr', unit_amount: 900, product_data: { name: 'Bun' } },
          quantity: 1,
        },
      ],
    });
    const expired = await expe.checkout.sessions.expire(open.id);

    expect(session).toMatchObject({
      status: 'open',
      amount_total: 5000,
      client_reference_id: 'order-sdk',
      success_url: `https://shop.example/thanks?session=${session.id}`,
    });
    expect(items.data).toEqual([
      expect.objectContaining({ description: 'Chai', quantity: 2, amount_total: 5000 }),
    ]);
    expect(completed).toMatchObject({ status: 'complete', payment_status: 'paid', url: null });
    expect(listed.data.map((item) => item.id)).toEqual([session.id]);
    expect(expired.status).toBe('expired');
  });

  it('when the fee setting is turned off with the SDK, then it reads back off', async () => {
    const client = createExpeClient({
      apiKey: (await fresh('sdk-fees')).key.secret,
      baseUrl: t.url,
    });

    const before = await client.balanceSettings.retrieve();
    const off = await client.balanceSettings.update({ fees_enabled: false });

    expect(before).toEqual({ object: 'balance_settings', fees_enabled: true });
    expect(off.fees_enabled).toBe(false);
    expect(await client.balanceSettings.retrieve()).toEqual(off);
  });

  it('when a 3-D Secure challenge and a pending UPI payment are settled with the SDK, then both succeed', async () => {
    const challenged = await expe.payments.create({ amount: 3000, currency: 'inr' });
    const upi = await expe.payments.create({ amount: 4000, currency: 'inr' });

    const action = await expe.payments.confirm(challenged.id, {
      client_secret: challenged.client_secret,
      method: 'card',
      card: card('4000002500003155'),
    });
    const authenticated = await expe.payments.authenticate(challenged.id, {
      client_secret: challenged.client_secret,
      outcome: 'complete',
    });
    const processing = await expe.payments.confirm(upi.id, {
      client_secret: upi.client_secret,
      method: 'upi',
      upi: { vpa: 'pending@expe' },
    });
    const completed = await expe.testHelpers.payments.complete(upi.id, { outcome: 'succeeded' });

    expect(action.status).toBe('requires_action');
    expect(authenticated.status).toBe('succeeded');
    expect(processing.status).toBe('processing');
    expect(completed.status).toBe('succeeded');
  });

  it('when a list spans several pages, then autoPaginate yields every object once, newest first', async () => {
    const client = createExpeClient({
      apiKey: (await fresh('sdk-pages')).key.secret,
      baseUrl: t.url,
    });
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await client.customers.create({ name: `c${i}` })).id);

    const seen: string[] = [];
    for await (const customer of autoPaginate(client.customers.list, { limit: 2 })) {
      seen.push(customer.id);
    }

    expect(seen).toEqual(made.reverse());
  });

  it('when the test data is reset with the SDK, then the project starts empty', async () => {
    const client = createExpeClient({
      apiKey: (await fresh('sdk-reset')).key.secret,
      baseUrl: t.url,
    });
    await client.customers.create({ name: 'Gone soon' });
    await client.payments.create({ amount: 100, currency: 'inr' });

    const reset = await client.testHelpers.reset();

    expect(reset).toMatchObject({ object: 'test_data_reset', livemode: false });
    expect((await client.customers.list()).data).toEqual([]);
    expect((await client.payments.list()).data).toEqual([]);
  });

  it('when the response to a POST is lost, then the SDK retries with the same Idempotency-Key and the payment exists once', async () => {
    const keys: string[] = [];
    let lost = false;
    const flaky = createExpeClient({
      apiKey: merchant.key.secret,
      baseUrl: t.url,
      fetch: async (input, init) => {
        keys.push((init?.headers as Record<string, string>)['idempotency-key'] ?? '');
        const response = await fetch(input, init);
        if (!lost) {
          // The platform did the work; the client never hears about it.
          lost = true;
          await response.arrayBuffer();
          throw new TypeError('fetch failed');
        }
        return response;
      },
    });
    const description = `retry-${Date.now()}`;

    const payment = await flaky.payments.create({ amount: 777, currency: 'inr', description });

    const all = await expe.payments.list({ limit: 100 });
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(all.data.filter((p) => p.description === description).map((p) => p.id)).toEqual([
      payment.id,
    ]);
  });

  it('when calls fail, then errors are typed with type, code, param and request id', async () => {
    const stranger = createExpeClient({
      apiKey: 'sk_test_thisKeyDoesNotExist0123456789',
      baseUrl: t.url,
    });
    const payment = await expe.payments.create({ amount: 500, currency: 'inr' });

    const unauthenticated = await stranger.balance.retrieve().catch((error: unknown) => error);
    const missing = await expe.payments.retrieve('pay_0000000000nothere').catch((e: unknown) => e);
    const invalid = await expe.payments
      .create({ amount: -1, currency: 'inr' })
      .catch((error: unknown) => error);
    const declined = await expe.payments
      .confirm(payment.id, {
        client_secret: payment.client_secret,
        method: 'card',
        card: card('4000000000000002'),
      })
      .catch((error: unknown) => error);

    expect(unauthenticated).toBeInstanceOf(ExpeAuthenticationError);
    expect(unauthenticated).toMatchObject({ status: 401, requestId: expect.stringMatching(/\S/) });
    expect(missing).toBeInstanceOf(ExpeInvalidRequestError);
    expect(missing).toMatchObject({ status: 404, code: 'resource_missing' });
    expect(invalid).toMatchObject({ status: 400, param: 'amount' });
    expect(declined).toBeInstanceOf(ExpeCardError);
    expect(declined).toMatchObject({ code: 'card_declined', type: 'card_error' });
  });

  it('when the platform does not answer within the timeout, then it throws ExpeConnectionError', async () => {
    const impatient = createExpeClient({
      apiKey: merchant.key.secret,
      baseUrl: t.url,
      timeoutMs: 1,
      maxNetworkRetries: 1,
    });

    const error = await impatient.balance.retrieve().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ExpeConnectionError);
    expect((error as Error).message).toContain('timed out');
  });
});
