// The official `stripe` npm package (pinned in package.json) against Expe's Stripe-compatible
// listener, through the real platform: every resource served, the SDK's error
// classes, auto-pagination, idempotent retries and constructEvent over Expe's deliveries.
import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import Stripe from 'stripe';
import { stripeOperations, toExpeId } from '@expe/stripe-compat';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  onboardMerchant,
  startTestPlatform,
  type OnboardedMerchant,
  type TestPlatform,
} from './support/test-platform.js';
import { tableCoverage } from './support/stripe-coverage.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

let t: TestPlatform;
let merchant: OnboardedMerchant;
let stripe: Stripe;
let stripeUrl: URL;

function stripeFor(key: string): Stripe {
  return new Stripe(key, {
    host: stripeUrl.hostname,
    port: Number(stripeUrl.port),
    protocol: 'http',
    maxNetworkRetries: 0,
  });
}

/** The merchant's payments as Expe's own API lists them (one state). */
async function expePaymentCount(key = merchant.key.secret): Promise<number> {
  let count = 0;
  let after: string | undefined;
  for (;;) {
    const page = await t.api(
      'GET',
      `/v1/payments?limit=100${after ? `&starting_after=${after}` : ''}`,
      { token: key },
    );
    count += page.body.data.length;
    if (!page.body.has_more) return count;
    after = page.body.data.at(-1).id;
  }
}

async function caught(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  t = await startTestPlatform();
  if (!t.platform.stripeUrl) throw new Error('the Stripe-compatible listener did not start');
  stripeUrl = new URL(t.platform.stripeUrl);
  merchant = await onboardMerchant(t, 'stripe');
  stripe = stripeFor(merchant.key.secret);
});

afterAll(async () => {
  await t?.close();
});

describe('PaymentIntents through the official Stripe SDK', () => {
  it('when a PaymentIntent is created and confirmed with pm_card_visa, then it succeeded and is the same Expe payment', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 2_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      description: 'Order 42',
      metadata: { order_id: '42' },
      // Not in this SDK version's types any more, still in Stripe's API.
      ...({ payment_method_types: ['card'] } as object),
    });
    expect(intent).toMatchObject({
      object: 'payment_intent',
      amount: 2_000,
      amount_received: 2_000,
      currency: 'usd',
      status: 'succeeded',
      payment_method: 'pm_card_visa',
      capture_method: 'automatic',
      description: 'Order 42',
      metadata: { order_id: '42' },
      livemode: false,
    });
    expect(intent.client_secret).toMatch(new RegExp(`^${intent.id}_secret_`));
    expect(intent.lastResponse.headers['request-id']).toMatch(/^req_/);

    // One state: the Expe API (and so the dashboard) sees the same payment.
    const expe = await t.api('GET', `/v1/payments/${toExpeId(intent.id)}`, {
      token: merchant.key.secret,
    });
    expect(expe.body).toMatchObject({
      id: toExpeId(intent.id),
      status: 'succeeded',
      amount: 2_000,
    });

    const retrieved = await stripe.paymentIntents.retrieve(intent.id, {
      expand: ['latest_charge', 'payment_method'],
    });
    const charge = retrieved.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({ object: 'charge', amount_captured: 2_000, paid: true });
    expect(retrieved.payment_method).toMatchObject({
      id: 'pm_card_visa',
      card: { brand: 'visa', last4: '4242' },
    });
    const viaCharge = await stripe.charges.retrieve(charge.id, { expand: ['payment_intent'] });
    expect((viaCharge.payment_intent as Stripe.PaymentIntent).id).toBe(intent.id);
  });

  it('when a PaymentIntent is created, given a PaymentMethod by update, then confirm() without params pays it', async () => {
    const created = await stripe.paymentIntents.create({ amount: 1_500, currency: 'inr' });
    expect(created.status).toBe('requires_payment_method');
    const updated = await stripe.paymentIntents.update(created.id, {
      payment_method: 'pm_card_mastercard',
    });
    expect(updated.status).toBe('requires_confirmation');
    const confirmed = await stripe.paymentIntents.confirm(created.id);
    expect(confirmed).toMatchObject({ status: 'succeeded', payment_method: 'pm_card_mastercard' });
  });

  it('when a PaymentIntent is confirmed with off_session, then a card without 3-D Secure pays and one that needs it fails with authentication_required instead of requires_action', async () => {
    const plain = await stripe.paymentIntents.create({
      amount: 1_200,
      currency: 'usd',
      payment_method: 'pm_card_visa',
    });
    const paid = await stripe.paymentIntents.confirm(plain.id, {
      off_session: true,
      return_url: 'https://example.com/return',
    });
    expect(paid.status).toBe('succeeded');

    const secure = await stripe.paymentIntents.create({
      amount: 1_300,
      currency: 'usd',
      payment_method: 'pm_card_threeDSecure2Required',
    });
    const away = await caught(stripe.paymentIntents.confirm(secure.id, { off_session: true }));
    expect(away).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(away.decline_code).toBe('authentication_required');
    expect(away.payment_intent).toMatchObject({ id: secure.id, status: 'requires_payment_method' });

    // The same card with the customer present asks for the challenge, as before.
    const present = await stripe.paymentIntents.confirm(secure.id);
    expect(present.status).toBe('requires_action');
  });

  it('when a PaymentIntent is updated, before and after it succeeded, then description and receipt_email change and metadata merges by Stripe’s rules', async () => {
    const created = await stripe.paymentIntents.create({
      amount: 1_000,
      currency: 'usd',
      description: 'first',
      metadata: { order: '7', cart: 'c1', note: 'x' },
    });
    const updated = await stripe.paymentIntents.update(created.id, {
      description: 'second',
      receipt_email: 'buyer@example.com',
      metadata: { cart: '', note: 'y', extra: '1' },
    });
    expect(updated).toMatchObject({
      id: created.id,
      description: 'second',
      receipt_email: 'buyer@example.com',
      status: 'requires_payment_method',
    });
    expect(updated.metadata).toEqual({ order: '7', note: 'y', extra: '1' });
    const paid = await stripe.paymentIntents.confirm(created.id, {
      payment_method: 'pm_card_visa',
    });
    expect(paid.status).toBe('succeeded');
    // Stripe lets these change after the payment; "" clears a field, metadata="" every key.
    const after = await stripe.paymentIntents.update(created.id, {
      description: '',
      receipt_email: '',
      metadata: '',
    });
    expect(after).toMatchObject({ status: 'succeeded', description: null, receipt_email: null });
    expect(after.metadata).toEqual({});
    expect(await stripe.paymentIntents.retrieve(created.id)).toMatchObject({
      description: null,
      metadata: {},
    });
    // Expe's payment is the same object.
    const expe = await t.api('GET', `/v1/payments/${toExpeId(created.id)}`, {
      token: merchant.key.secret,
    });
    expect(expe.body).toMatchObject({ description: null, customer_email: null, metadata: {} });
  });

  it('when a raw sandbox card number is given as payment_method_data, then it pays with it', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 700,
      currency: 'usd',
      confirm: true,
      payment_method_data: {
        type: 'card',
        card: { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' },
      } as never,
    });
    expect(intent).toMatchObject({ status: 'succeeded', payment_method: 'pm_card_visa' });
  });

  it('when the card is declined, then the SDK raises StripeCardError with code, decline_code and the PaymentIntent', async () => {
    const declined = await caught(
      stripe.paymentIntents.create({
        amount: 900,
        currency: 'usd',
        payment_method: 'pm_card_chargeDeclined',
        confirm: true,
      }),
    );
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(declined.statusCode).toBe(402);
    expect(declined.code).toBe('card_declined');
    expect(declined.decline_code).toBe('generic_decline');
    expect(declined.payment_intent).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'card_declined' },
    });

    const poor = await caught(
      stripe.paymentIntents.create({
        amount: 900,
        currency: 'usd',
        payment_method: 'pm_card_chargeDeclinedInsufficientFunds',
        confirm: true,
      }),
    );
    expect(poor).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(poor.decline_code).toBe('insufficient_funds');

    // The failed attempt leaves the intent payable, as in Stripe.
    const retried = await stripe.paymentIntents.confirm(declined.payment_intent.id, {
      payment_method: 'pm_card_visa',
    });
    expect(retried.status).toBe('succeeded');
  });

  it('when a PaymentIntent is canceled, then it is canceled, and canceling again is payment_intent_unexpected_state', async () => {
    const created = await stripe.paymentIntents.create({ amount: 300, currency: 'usd' });
    const canceled = await stripe.paymentIntents.cancel(created.id);
    expect(canceled).toMatchObject({
      status: 'canceled',
      cancellation_reason: 'requested_by_customer',
    });
    const again = await caught(stripe.paymentIntents.cancel(created.id));
    expect(again).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(again.code).toBe('payment_intent_unexpected_state');
  });

  it('when capture_method is manual, then confirm authorizes (requires_capture) and capture takes part of it', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 10_000,
      currency: 'usd',
      capture_method: 'manual',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(intent).toMatchObject({
      status: 'requires_capture',
      capture_method: 'manual',
      amount_capturable: 10_000,
      amount_received: 0,
    });
    const authorization = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(authorization).toMatchObject({ paid: true, captured: false, amount_captured: 0 });
    const tooMuch = await caught(
      stripe.paymentIntents.capture(intent.id, { amount_to_capture: 10_001 }),
    );
    expect(tooMuch).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(tooMuch.param).toBe('amount_to_capture');

    const captured = await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 7_500 });
    expect(captured).toMatchObject({
      status: 'succeeded',
      amount_capturable: 0,
      amount_received: 7_500,
    });
    const again = await caught(stripe.paymentIntents.capture(intent.id));
    expect(again).toMatchObject({ code: 'payment_intent_unexpected_state' });

    // An authorization that is canceled releases the hold.
    const other = await stripe.paymentIntents.create({
      amount: 2_000,
      currency: 'usd',
      capture_method: 'manual',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect((await stripe.paymentIntents.cancel(other.id)).status).toBe('canceled');
  });

  it('when the card needs 3-D Secure, then the intent requires_action with a redirect, and completing the challenge pays it', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 1_800,
      currency: 'usd',
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
      return_url: 'https://shop.example/return',
    });
    expect(intent.status).toBe('requires_action');
    expect(intent.next_action).toMatchObject({
      type: 'redirect_to_url',
      redirect_to_url: { return_url: 'https://shop.example/return' },
    });
    expect(intent.next_action!.redirect_to_url!.url).toContain(toExpeId(intent.id));

    // What Expe's hosted challenge page does when the shopper completes it.
    const challenge = await t.api('POST', `/v1/payments/${toExpeId(intent.id)}/authenticate`, {
      body: { client_secret: toExpeId(intent.client_secret!), outcome: 'complete' },
    });
    expect(challenge.status).toBe(200);
    expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('succeeded');
  });

  it('when a list is iterated with for await, then auto-pagination walks every page newest first', async () => {
    const other = await onboardMerchant(t, 'stripe-pages');
    const client = stripeFor(other.key.secret);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await client.paymentIntents.create({ amount: 100 + i, currency: 'usd' })).id);
    }
    const page = await client.paymentIntents.list({ limit: 2 });
    expect(page).toMatchObject({ object: 'list', has_more: true, url: '/v1/payment_intents' });
    const seen: string[] = [];
    for await (const intent of client.paymentIntents.list({ limit: 2 })) seen.push(intent.id);
    expect(seen).toEqual([...ids].reverse());
    const before = await client.paymentIntents.list({ limit: 2, ending_before: ids[0] });
    expect(before.data.map((intent) => intent.id)).toEqual([ids[2], ids[1]]);
  });

  it('when a create is retried with the same Idempotency-Key, then the first answer is replayed; other params are an idempotency error', async () => {
    const key = `order-${Date.now()}`;
    const params = {
      amount: 4_200,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    };
    const first = await stripe.paymentIntents.create(params, { idempotencyKey: key });
    const countAfterFirst = await expePaymentCount();
    const second = await stripe.paymentIntents.create(params, { idempotencyKey: key });
    expect(second.id).toBe(first.id);
    expect(second.status).toBe('succeeded');
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(await expePaymentCount()).toBe(countAfterFirst);

    const reused = await caught(
      stripe.paymentIntents.create({ ...params, amount: 4_300 }, { idempotencyKey: key }),
    );
    expect(reused).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(await expePaymentCount()).toBe(countAfterFirst);
  });
});

describe('bad input through the SDK: Stripe error classes, nothing written', () => {
  it('when a parameter is unknown, unsupported or of the wrong type, then StripeInvalidRequestError names it and no payment exists', async () => {
    const before = await expePaymentCount();
    const unknown = await caught(
      stripe.paymentIntents.create({ amount: 100, currency: 'usd', colour: 'red' } as never),
    );
    expect(unknown).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(unknown).toMatchObject({ code: 'parameter_unknown', param: 'colour', statusCode: 400 });

    const unsupported = await caught(
      stripe.paymentIntents.create({
        amount: 100,
        currency: 'usd',
        shipping: { name: 'x' },
      } as never),
    );
    expect(unsupported).toMatchObject({ code: 'parameter_unknown', param: 'shipping' });

    const notInteger = await caught(
      stripe.paymentIntents.create({ amount: 'ten' as never, currency: 'usd' }),
    );
    expect(notInteger).toMatchObject({ code: 'parameter_invalid_integer', param: 'amount' });

    const empty = await caught(
      stripe.paymentIntents.create({ amount: '' as never, currency: 'usd' }),
    );
    expect(empty).toMatchObject({ code: 'parameter_invalid_empty', param: 'amount' });

    const missing = await caught(stripe.paymentIntents.create({ amount: 100 } as never));
    expect(missing).toMatchObject({ code: 'parameter_missing', param: 'currency' });

    const badToken = await caught(
      stripe.paymentIntents.create({
        amount: 100,
        currency: 'usd',
        payment_method: 'pm_nope',
        confirm: true,
      }),
    );
    expect(badToken).toMatchObject({ code: 'resource_missing', param: 'payment_method' });

    const badExpand = await caught(
      stripe.paymentIntents.create({ amount: 100, currency: 'usd', expand: ['review'] }),
    );
    expect(badExpand).toMatchObject({ param: 'expand[0]' });

    const badCurrency = await caught(
      stripe.paymentIntents.create({ amount: 100, currency: 'xyz' }),
    );
    expect(badCurrency).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(badCurrency.param).toBe('currency');

    expect(await expePaymentCount()).toBe(before);
  });

  it('when an object does not exist or is another merchant’s, then 404 resource_missing', async () => {
    const other = await onboardMerchant(t, 'stripe-other');
    const theirs = await stripeFor(other.key.secret).paymentIntents.create({
      amount: 100,
      currency: 'usd',
    });
    const error = await caught(stripe.paymentIntents.retrieve(theirs.id));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('when the key is wrong or publishable, then StripeAuthenticationError / StripePermissionError', async () => {
    const wrong = await caught(stripeFor('sk_test_0000000000000000000000000').balance.retrieve());
    expect(wrong).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    const publishable = await caught(stripeFor(merchant.key.publishable).balance.retrieve());
    expect(publishable).toBeInstanceOf(Stripe.errors.StripePermissionError);
  });
});

describe('the wire format itself', () => {
  it('when a form body with bracket notation is posted, then metadata, expand and headers work as in Stripe', async () => {
    const body = new URLSearchParams([
      ['amount', '1234'],
      ['currency', 'usd'],
      ['metadata[cart]', 'c_1'],
      ['metadata[user]', 'u_9'],
      ['payment_method', 'pm_card_visa'],
      ['confirm', 'true'],
      ['expand[]', 'latest_charge'],
    ]);
    const response = await fetch(`${t.platform.stripeUrl}/v1/payment_intents`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${merchant.key.secret}:`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        'stripe-version': '2024-06-20',
      },
      body,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('stripe-version')).toBe('2024-06-20');
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    const intent = (await response.json()) as any;
    expect(intent.metadata).toEqual({ cart: 'c_1', user: 'u_9' });
    expect(intent.latest_charge).toMatchObject({ object: 'charge', amount: 1234 });

    // A Stripe-Version that is no version is refused as Stripe does, before anything is done.
    const before = await expePaymentCount();
    const badVersion = await fetch(`${t.platform.stripeUrl}/v1/payment_intents`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${merchant.key.secret}`,
        'content-type': 'application/x-www-form-urlencoded',
        'stripe-version': 'latest',
      },
      body: new URLSearchParams({ amount: '100', currency: 'usd' }),
    });
    expect(badVersion.status).toBe(400);
    expect(((await badVersion.json()) as any).error).toMatchObject({
      type: 'invalid_request_error',
      param: 'Stripe-Version',
      message: 'Invalid Stripe API version: latest',
    });
    expect(await expePaymentCount()).toBe(before);
  });

  it('when a resource is not served, then 404 names the ones that are, and JSON bodies are refused', async () => {
    const response = await fetch(`${t.platform.stripeUrl}/v1/subscriptions`, {
      headers: { authorization: `Bearer ${merchant.key.secret}` },
    });
    expect(response.status).toBe(404);
    const { error } = (await response.json()) as any;
    expect(error.type).toBe('invalid_request_error');
    expect(error.message).toContain('/v1/payment_intents');

    // Two Idempotency-Key lines (fetch would merge them; node:http sends both).
    const twice = await new Promise<{ status: number; body: any }>((resolve, reject) => {
      const request = httpRequest(`${t.platform.stripeUrl}/v1/payment_intents`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${merchant.key.secret}`,
          'content-type': 'application/x-www-form-urlencoded',
          'idempotency-key': ['a', 'b'],
        },
      });
      request.on('response', (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(text) }));
      });
      request.on('error', reject);
      request.end('amount=100&currency=usd');
    });
    expect(twice.status).toBe(400);
    expect(twice.body.error.param).toBe('Idempotency-Key');

    const json = await fetch(`${t.platform.stripeUrl}/v1/payment_intents`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${merchant.key.secret}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ amount: 100, currency: 'usd' }),
    });
    expect(json.status).toBe(400);
    expect(((await json.json()) as any).error.param).toBe('Content-Type');
  });
});

describe('request bodies on the Stripe port (issue 21)', () => {
  /** A raw request, so the coding and bytes are exactly what the test says. */
  function post(headers: Record<string, string>, body: Buffer) {
    return new Promise<{ status: number; body: any }>((resolve, reject) => {
      const request = httpRequest(`${t.platform.stripeUrl}/v1/payment_intents`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${merchant.key.secret}`,
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(body.length),
          ...headers,
        },
      });
      request.on('response', (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(text) }));
      });
      request.on('error', reject);
      request.end(body);
    });
  }

  it('when a body arrives in a coding the listener does not decode, then it is 415 unsupported_content_encoding naming Content-Encoding, and nothing is written', async () => {
    const before = await expePaymentCount();
    const form = Buffer.from('amount=100&currency=usd');
    for (const coding of ['zstd', 'compress', 'x-unknown', 'gzip, br']) {
      const answer = await post({ 'content-encoding': coding }, form);
      expect({ coding, status: answer.status }).toEqual({ coding, status: 415 });
      expect(answer.body.error).toMatchObject({
        type: 'invalid_request_error',
        code: 'unsupported_content_encoding',
        param: 'Content-Encoding',
      });
    }
    // The codings it does decode still work, and bytes that are not the coding named are a 400.
    const zipped = await post({ 'content-encoding': 'gzip' }, gzipSync(form));
    expect(zipped.status).toBe(200);
    expect(zipped.body).toMatchObject({ object: 'payment_intent', amount: 100 });
    const lying = await post({ 'content-encoding': 'gzip' }, form);
    expect(lying.status).toBe(400);
    expect(lying.body.error.type).toBe('invalid_request_error');
    expect(await expePaymentCount()).toBe(before + 1);
  });

  it('when a gzip body is larger than the limit as sent but decodes to a small form (empty members), then it is refused as too large before it is all read, and nothing is written', async () => {
    const before = await expePaymentCount();
    const empty = gzipSync('');
    const members = Buffer.concat([
      ...Array.from({ length: 6_000 }, () => empty),
      gzipSync('amount=100&currency=usd'),
    ]);
    expect(members.length).toBeGreaterThan(100 * 1024);

    const answer = await post({ 'content-encoding': 'gzip' }, members);

    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'request_too_large',
    });
    expect(await expePaymentCount()).toBe(before);
  });

  it('when a parsed form body holds what no route may receive (a NUL character), then it is 400 naming the parameter, and nothing is written', async () => {
    const before = await expePaymentCount();
    for (const [form, param] of [
      ['amount=100&currency=usd&metadata[order]=a%00b', 'metadata[order]'],
      ['amount=100&currency=usd&description=%00', 'description'],
      ['amount=100&currency=usd&metadata[a%00b]=1', 'metadata[a\u0000b]'],
    ] as const) {
      const answer = await post({}, Buffer.from(form));
      expect({ form, status: answer.status }).toEqual({ form, status: 400 });
      expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', param });
    }
    expect(await expePaymentCount()).toBe(before);
  });
});

describe('errors and edges as Stripe answers them', () => {
  async function send(method: string, path: string, key = merchant.key.secret, form = '') {
    const response = await fetch(`${t.platform.stripeUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(method === 'GET' ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(method === 'GET' || !form ? {} : { body: form }),
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  it('when a path of a served resource is not served (search, line_items, capture of a Charge, …), then it is 404 Unrecognized request URL, not an id lookup', async () => {
    const unserved = stripeOperations.filter((operation) => operation.support === 'not');
    expect(unserved.map((operation) => operation.path)).toContain('/v1/charges/search');
    for (const operation of unserved) {
      const path = operation.path.replaceAll(/:\w+/g, 'x_1234567890');
      const answer = await send(operation.method, path);
      expect(answer.status, `${operation.method} ${path}`).toBe(404);
      expect(answer.body.error.type).toBe('invalid_request_error');
      expect(answer.body.error.message).toMatch(
        new RegExp(`^Unrecognized request URL \\(${operation.method}: ${path}\\)`),
      );
    }
  });

  it('when a well-formed id names nothing (pi_123, we_123, cus_123, …), then every served operation on it is 404 resource_missing naming that id', async () => {
    const madeUp: Record<string, string> = {
      PaymentIntent: 'pi_123',
      Charge: 'ch_123',
      Refund: 're_123',
      Event: 'evt_123',
      WebhookEndpoint: 'we_123',
      'Checkout Session': 'cs_test_123',
      BalanceTransaction: 'txn_123',
      Payout: 'po_123',
      Dispute: 'du_123',
      Customer: 'cus_123',
      PaymentMethod: 'pm_123',
      SetupIntent: 'seti_123',
    };
    const byId = stripeOperations.filter(
      (operation) => operation.support !== 'not' && operation.path.includes(':id'),
    );
    for (const operation of byId) {
      const id = madeUp[operation.resource]!;
      const path = operation.path.replace(':id', id);
      // Required parameters are sent (an attach names its customer), so only the id is wrong.
      const required = Object.entries(operation.params)
        .filter(([, spec]) => spec.required)
        .map(([name]) => `${name}=${madeUp[name === 'customer' ? 'Customer' : ''] ?? 'x'}`);
      const answer = await send(operation.method, path, merchant.key.secret, required.join('&'));
      expect(answer.status, `${operation.method} ${path}`).toBe(404);
      expect(answer.body.error).toMatchObject({
        type: 'invalid_request_error',
        code: 'resource_missing',
      });
      expect(answer.body.error.message).toContain(`'${id}'`);
    }
  });

  it.each([
    ['pm_card_chargeDeclined', 'card_declined', 'generic_decline'],
    ['tok_chargeDeclined', 'card_declined', 'generic_decline'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
    ['tok_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
    ['pm_card_chargeDeclinedProcessingError', 'processing_error', undefined],
    ['tok_chargeDeclinedProcessingError', 'processing_error', undefined],
  ])(
    'when %s is charged, then the card error is code %s, decline_code %s, on the error and on the PaymentIntent',
    async (token, code, declineCode) => {
      const error = await caught(
        stripe.paymentIntents.create({
          amount: 900,
          currency: 'usd',
          payment_method: token,
          confirm: true,
        }),
      );
      expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
      expect(error.code).toBe(code);
      // stripe-node reports a missing decline_code as ''.
      expect(error.decline_code || undefined).toBe(declineCode);
      const intent = await stripe.paymentIntents.retrieve(error.payment_intent.id);
      expect(intent.last_payment_error).toMatchObject({ code });
      expect(intent.last_payment_error?.decline_code).toBe(declineCode);
    },
  );

  it('when confirms with one Idempotency-Key run at once, then each is the one answer or a 409 the SDKs retry, never a terminal 400, and the card is charged once', async () => {
    const shop = await onboardMerchant(t, 'stripe-concurrent');
    const client = stripeFor(shop.key.secret);
    const intent = await client.paymentIntents.create({ amount: 1_000, currency: 'usd' });
    const key = `confirm-${Date.now()}`;
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        fetch(`${t.platform.stripeUrl}/v1/payment_intents/${intent.id}/confirm`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${shop.key.secret}`,
            'content-type': 'application/x-www-form-urlencoded',
            'idempotency-key': key,
          },
          body: 'payment_method=pm_card_visa',
        }).then(async (response) => ({
          status: response.status,
          body: (await response.json()) as any,
        })),
      ),
    );
    for (const answer of answers) {
      if (answer.status === 200) {
        expect(answer.body).toMatchObject({ id: intent.id, status: 'succeeded' });
      } else {
        expect(answer.status).toBe(409);
        expect(answer.body.error.type).toBe('idempotency_error');
      }
    }
    expect(answers.some((answer) => answer.status === 200)).toBe(true);
    // The SDK retries the 409s; once the first answer is stored, a retry replays it.
    const retried = await stripeFor(shop.key.secret).paymentIntents.confirm(
      intent.id,
      { payment_method: 'pm_card_visa' },
      { idempotencyKey: key },
    );
    expect(retried).toMatchObject({ id: intent.id, status: 'succeeded', amount_received: 1_000 });
    const charges = await client.balanceTransactions.list({ type: 'charge' });
    expect(charges.data).toHaveLength(1);
  });
});

describe('Charges through the SDK: one per attempt, failed ones included', () => {
  // An account of their own, so the shared merchant's lists stay as other tests expect them.
  let client: Stripe;
  beforeAll(async () => {
    client = stripeFor((await onboardMerchant(t, 'stripe-charges')).key.secret);
  });

  it('when a card is declined and another pays, then charges.list shows both attempts, the failed one with its code and the paid one with its card, outcome, balance transaction and receipt', async () => {
    const intent = await client.paymentIntents.create({ amount: 4_200, currency: 'inr' });
    const declined = await caught(
      client.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_chargeDeclined' }),
    );
    const paid = await client.paymentIntents.confirm(intent.id, {
      payment_method: 'pm_card_visa',
      expand: ['latest_charge'],
    });

    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    const charges = await client.charges.list({ payment_intent: intent.id });
    expect(charges.data.map((charge) => charge.status)).toEqual(['succeeded', 'failed']);
    const [succeeded, failed] = charges.data as [Stripe.Charge, Stripe.Charge];
    expect(failed).toMatchObject({
      object: 'charge',
      paid: false,
      captured: false,
      failure_code: 'card_declined',
      outcome: { network_status: 'declined_by_network', reason: 'generic_decline' },
      payment_intent: intent.id,
      balance_transaction: null,
      receipt_url: null,
    });
    expect(succeeded).toMatchObject({
      id: (paid.latest_charge as Stripe.Charge).id,
      paid: true,
      captured: true,
      amount_captured: 4_200,
      payment_method: 'pm_card_visa',
      payment_method_details: { type: 'card', card: { brand: 'visa', last4: '4242' } },
      outcome: { network_status: 'approved_by_network', type: 'authorized' },
      balance_transaction: expect.stringMatching(/^txn_/),
      receipt_url: expect.stringMatching(new RegExp(`/receipts/${succeeded.id}#[\\w-]{32}$`)),
    });
    const transaction = await client.balanceTransactions.retrieve(
      succeeded.balance_transaction as string,
    );
    expect(transaction).toMatchObject({ type: 'charge', source: succeeded.id, amount: 4_200 });
    // Every attempt of the account, newest first, with auto-pagination.
    const all = await client.charges.list({ limit: 1 }).autoPagingToArray({ limit: 10 });
    expect(all.map((charge) => charge.id)).toEqual([succeeded.id, failed.id]);
    const events = await client.events.list({ type: 'charge.failed' });
    expect(events.data.map((event) => (event.data.object as Stripe.Charge).id)).toEqual([
      failed.id,
    ]);
  });

  it('when a charge is updated, then metadata merges, a key set to "" is removed, and description and receipt_email change', async () => {
    const intent = await client.paymentIntents.create({
      amount: 1_100,
      currency: 'inr',
      payment_method: 'pm_card_visa',
      confirm: true,
      metadata: { order: 'S-1', gift: 'yes' },
    });

    const updated = await client.charges.update(intent.latest_charge as string, {
      metadata: { gift: '', note: 'fragile' },
      description: 'Two cups',
      receipt_email: 'buyer@example.com',
    });
    const retrieved = await client.charges.retrieve(updated.id);

    expect(updated).toMatchObject({
      metadata: { order: 'S-1', note: 'fragile' },
      description: 'Two cups',
      receipt_email: 'buyer@example.com',
    });
    expect(retrieved.metadata).toEqual({ order: 'S-1', note: 'fragile' });
  });

  it('when an uncaptured charge is captured in part, then it and its PaymentIntent are captured for that amount, and capturing it again is charge_already_captured', async () => {
    const intent = await client.paymentIntents.create({
      amount: 9_000,
      currency: 'inr',
      capture_method: 'manual',
      payment_method: 'pm_card_visa',
      confirm: true,
    });

    const captured = await client.charges.capture(intent.latest_charge as string, {
      amount: 6_000,
    });
    const again = await caught(client.charges.capture(captured.id));
    const after = await client.paymentIntents.retrieve(intent.id);

    expect(captured).toMatchObject({
      id: intent.latest_charge,
      captured: true,
      amount_captured: 6_000,
      balance_transaction: expect.stringMatching(/^txn_/),
    });
    expect(after).toMatchObject({ status: 'succeeded', amount_received: 6_000 });
    expect(again).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(again.code).toBe('charge_already_captured');
  });

  it('when a charge is refunded in part, then the refund names it and the charge counts amount_refunded', async () => {
    const intent = await client.paymentIntents.create({
      amount: 5_000,
      currency: 'inr',
      payment_method: 'pm_card_visa',
      confirm: true,
    });

    const refund = await client.refunds.create({
      charge: intent.latest_charge as string,
      amount: 2_000,
      expand: ['charge'],
    });

    expect(refund.charge).toMatchObject({
      id: intent.latest_charge,
      amount_refunded: 2_000,
      refunded: false,
    });
    const listed = await client.refunds.list({ charge: intent.latest_charge as string });
    expect(listed.data.map((item) => item.id)).toEqual([refund.id]);
    const missing = await caught(client.charges.retrieve('ch_0000000000000000000000'));
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing.statusCode).toBe(404);
  });
});

describe('Refunds, Balance and Events through the SDK', () => {
  it('when a paid PaymentIntent is refunded by payment_intent and by charge, then both refunds list under it', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 5_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const partial = await stripe.refunds.create({
      payment_intent: intent.id,
      amount: 1_000,
      reason: 'requested_by_customer',
      metadata: { ticket: 't-1' },
    });
    expect(partial).toMatchObject({
      object: 'refund',
      amount: 1_000,
      status: 'succeeded',
      payment_intent: intent.id,
      charge: intent.latest_charge,
      metadata: { ticket: 't-1' },
    });
    const rest = await stripe.refunds.create({ charge: intent.latest_charge as string });
    expect(rest.amount).toBe(4_000);
    const retrieved = await stripe.refunds.retrieve(partial.id, { expand: ['payment_intent'] });
    expect((retrieved.payment_intent as Stripe.PaymentIntent).id).toBe(intent.id);
    const listed = await stripe.refunds.list({ payment_intent: intent.id });
    expect(listed.data.map((refund) => refund.id)).toEqual([rest.id, partial.id]);

    const tooMuch = await caught(stripe.refunds.create({ payment_intent: intent.id, amount: 1 }));
    expect(tooMuch).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);

    // Metadata merges by Stripe's rules: a new key is added, a key set to "" is removed.
    const updated = await stripe.refunds.update(partial.id, {
      metadata: { ticket: '', agent: 'a-7' },
    });
    expect(updated).toMatchObject({ id: partial.id, amount: 1_000, metadata: { agent: 'a-7' } });
    expect((await stripe.refunds.retrieve(partial.id)).metadata).toEqual({ agent: 'a-7' });
    const missing = await caught(stripe.refunds.update('re_123', { metadata: { a: 'b' } }));
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('when the balance is read, then it is Stripe’s Balance object for the key’s mode', async () => {
    const balance = await stripe.balance.retrieve();
    expect(balance).toMatchObject({ object: 'balance', livemode: false });
    const usd = [...balance.available, ...balance.pending].filter(
      (item) => item.currency === 'usd',
    );
    expect(usd.reduce((sum, item) => sum + item.amount, 0)).toBeGreaterThan(0);
  });

  it('when events are listed by Stripe type, then payment_intent.succeeded carries the PaymentIntent', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 321,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const events = await stripe.events.list({ type: 'payment_intent.succeeded', limit: 5 });
    const event = events.data.find(
      (item) => (item.data.object as Stripe.PaymentIntent).id === intent.id,
    );
    expect(event).toMatchObject({ object: 'event', type: 'payment_intent.succeeded' });
    expect(event!.data.object).toMatchObject({ object: 'payment_intent', status: 'succeeded' });
    const retrieved = await stripe.events.retrieve(event!.id);
    expect(retrieved.id).toBe(event!.id);
  });

  it('when events are listed by types[], then only those types come back, each Stripe type with every Expe event it is made from', async () => {
    const paid = await stripe.paymentIntents.create({
      amount: 322,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const canceled = await stripe.paymentIntents.create({ amount: 323, currency: 'usd' });
    await stripe.paymentIntents.cancel(canceled.id);
    const types = ['payment_intent.succeeded', 'payment_intent.canceled'];
    await vi.waitFor(async () => {
      const listed: Stripe.Event[] = [];
      for await (const event of stripe.events.list({ types, limit: 3 })) listed.push(event);
      expect(new Set(listed.map((event) => event.type))).toEqual(new Set(types));
      const objectIds = listed.map((event) => (event.data.object as { id: string }).id);
      expect(objectIds).toEqual(expect.arrayContaining([paid.id, canceled.id]));
    });
    // A prefix among them works as `type` does.
    const prefixed = await stripe.events.list({ types: ['payment_intent.*'], limit: 100 });
    expect(prefixed.data.every((event) => event.type.startsWith('payment_intent.'))).toBe(true);
    expect(prefixed.data.map((event) => event.type)).toContain('payment_intent.created');
    // As in Stripe, type or types, not both.
    const both = await caught(
      stripe.events.list({ type: 'payment_intent.succeeded', types: ['refund.created'] }),
    );
    expect(both).toMatchObject({ statusCode: 400, param: 'types' });
  });
});

describe('WebhookEndpoints and Stripe-Signature', () => {
  it('when an endpoint is made through the Stripe API, then its deliveries are Stripe events that constructEvent verifies', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const hooked = await onboardMerchant(t, 'stripe-hooks');
      const client = stripeFor(hooked.key.secret);
      const endpoint = await client.webhookEndpoints.create({
        url: receiver.url,
        enabled_events: ['payment_intent.succeeded', 'refund.created'],
        description: 'orders',
      });
      expect(endpoint).toMatchObject({
        object: 'webhook_endpoint',
        enabled_events: ['payment_intent.succeeded', 'refund.created'],
        status: 'enabled',
      });
      expect(endpoint.secret).toMatch(/^whsec_/);

      const intent = await client.paymentIntents.create({
        amount: 2_500,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
      });
      await client.refunds.create({ payment_intent: intent.id, amount: 500 });
      await receiver.waitFor((all) => all.length >= 2);

      for (const delivery of receiver.received) {
        const event = client.webhooks.constructEvent(
          delivery.rawBody,
          String(delivery.headers['stripe-signature']),
          endpoint.secret!,
        );
        expect(event.object).toBe('event');
      }
      const succeeded = receiver.received.find((r) => r.event.type === 'payment_intent.succeeded');
      expect(succeeded!.event.data.object).toMatchObject({
        id: intent.id,
        object: 'payment_intent',
        status: 'succeeded',
        amount: 2_500,
      });
      const refunded = receiver.received.find((r) => r.event.type === 'refund.created');
      expect(refunded!.event.data.object).toMatchObject({
        object: 'refund',
        payment_intent: intent.id,
      });
      // A signature made with another secret is refused by the SDK.
      expect(() =>
        client.webhooks.constructEvent(
          succeeded!.rawBody,
          String(succeeded!.headers['stripe-signature']),
          'whsec_wrong',
        ),
      ).toThrow(Stripe.errors.StripeSignatureVerificationError);

      const retrieved = await client.webhookEndpoints.retrieve(endpoint.id);
      expect(retrieved).toMatchObject({ id: endpoint.id, url: endpoint.url, status: 'enabled' });
      expect(retrieved.secret).toBeUndefined();
      const listed = await client.webhookEndpoints.list();
      expect(listed.data.map((item) => item.id)).toEqual([endpoint.id]);
      const updated = await client.webhookEndpoints.update(endpoint.id, { disabled: true });
      expect(updated.status).toBe('disabled');
      const deleted = await client.webhookEndpoints.del(endpoint.id);
      expect(deleted).toMatchObject({ id: endpoint.id, deleted: true });

      const unknownType = await caught(
        client.webhookEndpoints.create({ url: receiver.url, enabled_events: ['invoice.paid'] }),
      );
      expect(unknownType).toMatchObject({ code: 'parameter_invalid', param: 'enabled_events[0]' });
    } finally {
      await receiver.close();
    }
  });
});

describe('Balance transactions, payouts and disputes through the SDK', () => {
  it('when a payment succeeds, then its balance transaction is a charge with the fee, and available funds pay out to a UPI address', async () => {
    const shop = await onboardMerchant(t, 'stripe-payouts');
    const client = stripeFor(shop.key.secret);
    const intent = await client.paymentIntents.create({
      amount: 10_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const transactions = await client.balanceTransactions.list({
      source: intent.latest_charge as string,
    });
    expect(transactions.data).toHaveLength(1);
    const charge = transactions.data[0]!;
    expect(charge).toMatchObject({
      object: 'balance_transaction',
      type: 'charge',
      amount: 10_000,
      source: intent.latest_charge,
      status: 'pending',
    });
    expect(charge.fee).toBeGreaterThan(0);
    expect(charge.net).toBe(charge.amount - charge.fee);
    expect((await client.balanceTransactions.retrieve(charge.id)).id).toBe(charge.id);
    const pending = await client.balance.retrieve();
    expect(pending.pending.find((item) => item.currency === 'usd')?.amount).toBe(charge.net);

    // Funds become available two days later on the project's test clock.
    const advanced = await t.api('POST', '/v1/test_helpers/clock/advance', {
      token: shop.key.secret,
      body: { seconds: 3 * 24 * 3600 },
    });
    expect(advanced.status).toBe(200);
    const available = await client.balance.retrieve();
    expect(available.available.find((item) => item.currency === 'usd')?.amount).toBe(charge.net);

    const paid = await client.payouts.create({
      amount: 1_000,
      currency: 'usd',
      destination: 'success@expe',
    });
    expect(paid).toMatchObject({ object: 'payout', status: 'paid', amount: 1_000 });
    const failed = await client.payouts.create({
      amount: 500,
      currency: 'usd',
      destination: 'failure@expe',
    });
    expect(failed.status).toBe('failed');
    expect(failed.failure_code).toBeTruthy();
    const listed = await client.payouts.list({ limit: 10 });
    expect(listed.data.map((payout) => payout.id)).toEqual([failed.id, paid.id]);
    expect((await client.payouts.retrieve(paid.id)).status).toBe('paid');
    const tagged = await client.payouts.update(paid.id, { metadata: { batch: '7', region: 'n' } });
    expect(tagged).toMatchObject({
      id: paid.id,
      status: 'paid',
      metadata: { batch: '7', region: 'n' },
    });
    const untagged = await client.payouts.update(paid.id, { metadata: { region: '' } });
    expect(untagged.metadata).toEqual({ batch: '7' });
    const updatedEvents = await client.events.list({ type: 'payout.updated' });
    expect(updatedEvents.data.map((event) => (event.data.object as { id: string }).id)).toEqual([
      paid.id,
      paid.id,
    ]);
    const after = await client.balance.retrieve();
    expect(after.available.find((item) => item.currency === 'usd')?.amount).toBe(
      charge.net - 1_000,
    );
    // Without a destination a test-mode payout goes to the sandbox's default, which pays.
    const defaulted = await client.payouts.create({ amount: 300, currency: 'usd' });
    expect(defaulted).toMatchObject({ object: 'payout', status: 'paid', amount: 300 });

    const tooMuch = await caught(
      client.payouts.create({ amount: 10_000_000, currency: 'usd', destination: 'success@expe' }),
    );
    expect(tooMuch.statusCode).toBeGreaterThanOrEqual(400);
  });

  it('when a payout to pending@expe is canceled and a paid one reversed, then the money comes back, each once, with Stripe’s objects, types and events', async () => {
    const shop = await onboardMerchant(t, 'stripe-payout-lifecycle');
    const client = stripeFor(shop.key.secret);
    await client.paymentIntents.create({
      amount: 10_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const advanced = await t.api('POST', '/v1/test_helpers/clock/advance', {
      token: shop.key.secret,
      body: { seconds: 3 * 24 * 3600 },
    });
    expect(advanced.status).toBe(200);
    const usdAvailable = async () =>
      (await client.balance.retrieve()).available.find((item) => item.currency === 'usd')?.amount;
    const before = await usdAvailable();

    const pending = await client.payouts.create({
      amount: 1_000,
      currency: 'usd',
      destination: 'pending@expe',
    });
    expect(pending).toMatchObject({ status: 'pending', original_payout: null, reversed_by: null });
    expect(pending.arrival_date - pending.created).toBe(24 * 3600);
    expect((await client.payouts.list({ status: 'pending' })).data.map((p) => p.id)).toEqual([
      pending.id,
    ]);
    expect(await usdAvailable()).toBe(before! - 1_000);
    const canceled = await client.payouts.cancel(pending.id);
    expect(canceled).toMatchObject({ id: pending.id, object: 'payout', status: 'canceled' });
    expect(await usdAvailable()).toBe(before);
    const cancelTransactions = await client.balanceTransactions.list({ source: pending.id });
    expect(cancelTransactions.data.map((row) => [row.type, row.amount])).toEqual([
      ['payout_cancel', 1_000],
      ['payout', -1_000],
    ]);
    const again = await caught(client.payouts.cancel(pending.id));
    expect(again).toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      code: 'payout_unexpected_state',
    });
    expect(again.message).toContain('canceled');

    const paid = await client.payouts.create({
      amount: 700,
      currency: 'usd',
      destination: 'success@expe',
    });
    const reversal = await client.payouts.reverse(paid.id, { metadata: { reason: 'test' } });
    expect(reversal).toMatchObject({
      object: 'payout',
      amount: 700,
      status: 'paid',
      original_payout: paid.id,
      reversed_by: null,
      metadata: { reason: 'test' },
    });
    expect(reversal.id).toMatch(/^po_/);
    expect((await client.payouts.retrieve(paid.id)).reversed_by).toBe(reversal.id);
    expect(await usdAvailable()).toBe(before);
    const reversalTransactions = await client.balanceTransactions.list({ source: reversal.id });
    expect(reversalTransactions.data.map((row) => [row.type, row.amount])).toEqual([
      ['payout', 700],
    ]);
    const twice = await caught(client.payouts.reverse(paid.id));
    expect(twice).toMatchObject({ statusCode: 400, code: 'payout_unexpected_state' });
    const missing = await caught(client.payouts.cancel('po_0000000000000000000000000a'));
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });

    const events = await client.events.list({ limit: 20 });
    expect(
      events.data
        .filter((event) => event.type.startsWith('payout.'))
        .map((event) => [event.type, (event.data.object as { id: string }).id]),
    ).toEqual([
      ['payout.updated', paid.id],
      ['payout.paid', reversal.id],
      ['payout.created', reversal.id],
      ['payout.paid', paid.id],
      ['payout.created', paid.id],
      ['payout.canceled', pending.id],
      ['payout.created', pending.id],
    ]);
  });

  it('when pm_card_createDispute pays, then a dispute opens; evidence wins one, closing loses another', async () => {
    const shop = await onboardMerchant(t, 'stripe-disputes');
    const client = stripeFor(shop.key.secret);
    const disputed = async () => {
      const intent = await client.paymentIntents.create({
        amount: 3_000,
        currency: 'usd',
        payment_method: 'pm_card_createDispute',
        confirm: true,
      });
      expect(intent.status).toBe('succeeded');
      const disputes = await client.disputes.list({ payment_intent: intent.id });
      expect(disputes.data).toHaveLength(1);
      return { intent, dispute: disputes.data[0]! };
    };
    const first = await disputed();
    expect(first.dispute).toMatchObject({
      object: 'dispute',
      status: 'needs_response',
      amount: 3_000,
      charge: first.intent.latest_charge,
      payment_intent: first.intent.id,
    });
    const described = await client.disputes.update(first.dispute.id, {
      evidence: {
        customer_name: 'A Name',
        customer_email_address: 'a.name@example.com',
        shipping_tracking_number: 'TRACK123',
      },
    });
    expect(described.status).toBe('needs_response');
    expect(described.evidence).toMatchObject({
      customer_name: 'A Name',
      customer_email_address: 'a.name@example.com',
      shipping_tracking_number: 'TRACK123',
      uncategorized_text: null,
      receipt: null,
    });
    expect(described.evidence_details.has_evidence).toBe(true);
    // A file is not taken: 400 naming it, and nothing changes.
    const file = await caught(
      client.disputes.update(first.dispute.id, { evidence: { receipt: 'file_123' } }),
    );
    expect(file.statusCode).toBe(400);
    expect(file.param).toBe('evidence[receipt]');
    const won = await client.disputes.update(first.dispute.id, {
      evidence: { uncategorized_text: 'winning_evidence' },
    });
    expect(won.status).toBe('won');
    expect(won.evidence.customer_name).toBe('A Name');

    const second = await disputed();
    const lost = await client.disputes.close(second.dispute.id);
    expect(lost.status).toBe('lost');
    expect((await client.disputes.retrieve(second.dispute.id)).status).toBe('lost');
  });
});

describe('ids on the Stripe port', () => {
  /** Every string in a body that is an id with one of Expe's own prefixes (there must be none). */
  function expeIdsIn(value: unknown): string[] {
    if (typeof value === 'string') return /^(pay|bt|dp)_[0-9a-z]+/.test(value) ? [value] : [];
    if (Array.isArray(value)) return value.flatMap(expeIdsIn);
    if (value && typeof value === 'object') {
      return Object.entries(value)
        .filter(([key]) => key !== 'lastResponse')
        .flatMap(([, field]) => expeIdsIn(field));
    }
    return [];
  }

  it('when objects of every kind are read, listed, expanded and paged, then their ids carry Stripe’s prefixes and name Expe’s objects', async () => {
    const shop = await onboardMerchant(t, 'stripe-ids');
    const client = stripeFor(shop.key.secret);
    const intent = await client.paymentIntents.create({
      amount: 3_000,
      currency: 'usd',
      payment_method: 'pm_card_createDispute',
      confirm: true,
    });
    expect(intent.id).toMatch(/^pi_/);
    expect(intent.client_secret).toMatch(new RegExp(`^${intent.id}_secret_`));
    const second = await client.paymentIntents.create({
      amount: 200,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    // A disputed payment cannot be refunded: the refund is of the second one.
    const refund = await client.refunds.create({ payment_intent: second.id, amount: 100 });
    const [transaction] = (
      await client.balanceTransactions.list({ source: intent.latest_charge as string })
    ).data;
    const [dispute] = (await client.disputes.list({ payment_intent: intent.id })).data;
    expect(transaction!.id).toMatch(/^txn_/);
    expect(dispute!.id).toMatch(/^du_/);
    expect(dispute!.payment_intent).toBe(intent.id);
    expect(refund).toMatchObject({ id: expect.stringMatching(/^re_/), payment_intent: second.id });

    // By id, in paths and in parameters (a cursor, a filter), and expanded.
    const bodies: unknown[] = [
      await client.paymentIntents.retrieve(intent.id, { expand: ['latest_charge'] }),
      await client.charges.retrieve(intent.latest_charge as string, {
        expand: ['payment_intent'],
      }),
      await client.refunds.retrieve(refund.id, { expand: ['payment_intent', 'charge'] }),
      await client.refunds.list({ payment_intent: second.id }),
      await client.balanceTransactions.retrieve(transaction!.id),
      await client.balanceTransactions.list({ limit: 1 }),
      await client.disputes.retrieve(dispute!.id),
      await client.events.list({ limit: 20 }),
    ];
    const page = await client.paymentIntents.list({ limit: 1, starting_after: second.id });
    expect(page.data.map((item) => item.id)).toEqual([intent.id]);
    bodies.push(page);
    const transactions = await client.balanceTransactions.list({
      limit: 1,
      ending_before: transaction!.id,
    });
    bodies.push(transactions);
    expect(expeIdsIn(bodies)).toEqual([]);
    const events = (bodies.at(7) as Stripe.ApiList<Stripe.Event>).data;
    const disputeEvent = events.find((event) => event.type === 'charge.dispute.created');
    expect(disputeEvent!.data.object).toMatchObject({ id: dispute!.id, payment_intent: intent.id });

    // The same objects in Expe's own API, under Expe's ids.
    const expe = await t.api('GET', `/v1/disputes/${toExpeId(dispute!.id)}`, {
      token: shop.key.secret,
    });
    expect(expe.body).toMatchObject({ id: toExpeId(dispute!.id), payment: toExpeId(intent.id) });
  });
});

describe('Customers and saved cards through the SDK', () => {
  it('when a customer is created with shipping and updated, then shipping round-trips as Stripe’s and a bad one is refused naming the field', async () => {
    const customer = await stripe.customers.create({
      name: 'Asha',
      shipping: {
        name: 'Asha Verma',
        phone: '+91 98765 43210',
        address: { line1: '12 MG Road', city: 'Bengaluru', postal_code: '560001', country: 'IN' },
      },
    });
    expect(customer.shipping).toEqual({
      name: 'Asha Verma',
      phone: '+91 98765 43210',
      address: {
        line1: '12 MG Road',
        line2: null,
        city: 'Bengaluru',
        state: null,
        postal_code: '560001',
        country: 'IN',
      },
    });
    const updated = await stripe.customers.update(customer.id, {
      shipping: { name: 'Ravi', address: { line1: '4 Park St' } },
    });
    expect(updated.shipping).toMatchObject({
      name: 'Ravi',
      address: { line1: '4 Park St', city: null },
    });
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
      shipping: { name: 'Ravi' },
    });
    // shipping: '' (sent as `shipping=`) removes it, as in Stripe; the rest stays.
    const cleared = await stripe.customers.update(customer.id, { shipping: '' });
    expect(cleared).toMatchObject({ name: 'Asha', shipping: null });
    expect(((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).shipping).toBeNull();

    const bad = await caught(
      stripe.customers.create({
        shipping: { name: 'A', address: { line1: 'x', country: 'India' } },
      }),
    );
    expect(bad).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(bad.param).toBe('shipping[address][country]');
  });

  it('when a customer is created, updated, listed and deleted, then the SDK sees Stripe Customers', async () => {
    const email = `buyer.${Date.now()}@example.com`;
    const customer = await stripe.customers.create({
      email,
      name: 'Asha',
      metadata: { crm: '17' },
    });
    expect(customer).toMatchObject({
      object: 'customer',
      email,
      name: 'Asha',
      metadata: { crm: '17' },
    });
    const updated = await stripe.customers.update(customer.id, {
      name: 'Asha K',
      phone: '',
      metadata: { tier: 'gold' },
    });
    expect(updated).toMatchObject({ name: 'Asha K', email });
    // Metadata merges key by key, as in Stripe; a key set to "" is removed.
    expect(updated.metadata).toEqual({ crm: '17', tier: 'gold' });
    const unset = await stripe.customers.update(customer.id, { metadata: { crm: '' } });
    expect(unset.metadata).toEqual({ tier: 'gold' });
    const emptied = await stripe.customers.update(customer.id, { metadata: '' });
    expect(emptied.metadata).toEqual({});
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
      name: 'Asha K',
    });
    const listed = await stripe.customers.list({ email });
    expect(listed.data.map((item) => item.id)).toEqual([customer.id]);
    const intent = await stripe.paymentIntents.create({
      amount: 500,
      currency: 'usd',
      customer: customer.id,
    });
    const deleted = await stripe.customers.del(customer.id);
    expect(deleted).toMatchObject({ id: customer.id, deleted: true });
    const expanded = await stripe.paymentIntents.retrieve(intent.id, { expand: ['customer'] });
    expect(expanded.customer).toEqual({ id: customer.id, object: 'customer', deleted: true });
    // Stripe still retrieves a deleted customer: its id and deleted: true, nothing else.
    const gone = await stripe.customers.retrieve(customer.id);
    expect(gone).toEqual({ id: customer.id, object: 'customer', deleted: true });
    expect((await stripe.customers.list({ email })).data).toEqual([]);
  });

  it('when a payment saves the card for off-session use, then the customer is charged later without the card; pm_card_chargeCustomerFail declines then', async () => {
    const customer = await stripe.customers.create({ email: `saver.${Date.now()}@example.com` });
    const first = await stripe.paymentIntents.create({
      amount: 1_200,
      currency: 'usd',
      customer: customer.id,
      payment_method: 'pm_card_visa',
      setup_future_usage: 'off_session',
      confirm: true,
    });
    expect(first).toMatchObject({ status: 'succeeded', customer: customer.id });
    const expanded = await stripe.paymentIntents.retrieve(first.id, { expand: ['customer'] });
    expect(expanded.customer).toMatchObject({ object: 'customer', id: customer.id });
    const listed = await stripe.paymentIntents.list({ limit: 3, expand: ['data.customer'] });
    expect(listed.data.find((item) => item.id === first.id)?.customer).toMatchObject({
      id: customer.id,
    });
    const saved = await stripe.paymentMethods.list({ customer: customer.id, type: 'card' });
    expect(saved.data).toHaveLength(1);
    const card = saved.data[0]!;
    expect(card).toMatchObject({
      object: 'payment_method',
      customer: customer.id,
      card: { last4: '4242' },
    });
    expect(first.payment_method).toBeTruthy();
    expect((await stripe.customers.listPaymentMethods(customer.id)).data[0]!.id).toBe(card.id);
    expect((await stripe.paymentMethods.retrieve(card.id)).id).toBe(card.id);

    const later = await stripe.paymentIntents.create({
      amount: 800,
      currency: 'usd',
      customer: customer.id,
      payment_method: card.id,
      off_session: true,
      confirm: true,
    });
    expect(later).toMatchObject({
      status: 'succeeded',
      amount_received: 800,
      payment_method: card.id,
    });

    // One customer's PaymentIntents, newest first, as Stripe lists them by customer.
    const ofCustomer = await stripe.paymentIntents.list({ customer: customer.id });
    expect(ofCustomer.data.map((item) => item.id)).toEqual([later.id, first.id]);
    const detached = await stripe.paymentMethods.detach(card.id);
    expect(detached.customer).toBeNull();
    const afterDetach = await caught(
      stripe.paymentIntents.create({
        amount: 800,
        currency: 'usd',
        customer: customer.id,
        payment_method: card.id,
        off_session: true,
        confirm: true,
      }),
    );
    expect(afterDetach.statusCode).toBeGreaterThanOrEqual(400);

    await stripe.paymentIntents.create({
      amount: 500,
      currency: 'usd',
      customer: customer.id,
      payment_method: 'pm_card_chargeCustomerFail',
      setup_future_usage: 'off_session',
      confirm: true,
    });
    const failing = (await stripe.paymentMethods.list({ customer: customer.id })).data[0]!;
    expect(failing.card!.last4).toBe('0341');
    const declined = await caught(
      stripe.paymentIntents.create({
        amount: 500,
        currency: 'usd',
        customer: customer.id,
        payment_method: failing.id,
        off_session: true,
        confirm: true,
      }),
    );
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(declined.code).toBe('card_declined');
    expect(declined.payment_intent.status).toBe('requires_payment_method');
  });
});

describe('PaymentMethods and SetupIntents through the SDK', () => {
  it('when a PaymentMethod is created, updated, attached, listed, charged off-session and detached, then the SDK sees Stripe PaymentMethods; a detached one is not attached again', async () => {
    const customer = await stripe.customers.create({ name: 'Asha' });
    const created = await stripe.paymentMethods.create({
      type: 'card',
      card: { token: 'tok_visa' },
      billing_details: { name: 'Asha Verma', address: { city: 'Pune' } },
      metadata: { keep: 'yes', drop: 'me' },
    });
    expect(created).toMatchObject({
      object: 'payment_method',
      type: 'card',
      customer: null,
      card: { brand: 'visa', last4: '4242', funding: 'credit', country: 'US' },
      billing_details: { name: 'Asha Verma', address: { city: 'Pune', line1: null } },
    });
    expect(created.id).toMatch(/^pm_[0-9a-z]+$/);
    const fromNumber = await stripe.paymentMethods.create({
      type: 'card',
      card: { number: '4242424242424242', exp_month: 6, exp_year: 2040, cvc: '123' },
    });
    expect(fromNumber.card!.fingerprint).toBe(created.card!.fingerprint);

    const updated = await stripe.paymentMethods.update(created.id, {
      billing_details: { email: 'asha@example.com' },
      metadata: { drop: '', add: 'new' },
      card: { exp_month: 7, exp_year: 2041 },
    });
    expect(updated).toMatchObject({
      billing_details: { name: 'Asha Verma', email: 'asha@example.com' },
      metadata: { keep: 'yes', add: 'new' },
      card: { exp_month: 7, exp_year: 2041 },
    });

    const attached = await stripe.paymentMethods.attach(created.id, { customer: customer.id });
    expect(attached.customer).toBe(customer.id);
    // A test PaymentMethod attaches as a new PaymentMethod of the customer, as in Stripe.
    const fromTest = await stripe.paymentMethods.attach('pm_card_mastercard', {
      customer: customer.id,
    });
    expect(fromTest.id).not.toBe('pm_card_mastercard');
    expect(fromTest).toMatchObject({ customer: customer.id, card: { brand: 'mastercard' } });
    const listed = await stripe.paymentMethods.list({ customer: customer.id, type: 'card' });
    expect(listed.data.map((item) => item.id).sort()).toEqual([created.id, fromTest.id].sort());
    const ofCustomer = await stripe.customers.listPaymentMethods(customer.id);
    expect(ofCustomer.data).toHaveLength(2);

    const charged = await stripe.paymentIntents.create({
      amount: 1_500,
      currency: 'usd',
      customer: customer.id,
      payment_method: created.id,
      off_session: true,
      confirm: true,
    });
    expect(charged).toMatchObject({ status: 'succeeded', payment_method: created.id });
    // Chosen at creation, confirmed later; or named at confirm.
    const later = await stripe.paymentIntents.create({
      amount: 600,
      currency: 'usd',
      customer: customer.id,
      payment_method: fromTest.id,
    });
    expect(later).toMatchObject({ status: 'requires_confirmation', payment_method: fromTest.id });
    expect(await stripe.paymentIntents.confirm(later.id)).toMatchObject({
      status: 'succeeded',
      payment_method: fromTest.id,
    });
    const named = await stripe.paymentIntents.create({
      amount: 700,
      currency: 'usd',
      customer: customer.id,
    });
    expect(
      await stripe.paymentIntents.confirm(named.id, { payment_method: created.id }),
    ).toMatchObject({ status: 'succeeded', payment_method: created.id });

    const declined = await caught(
      stripe.paymentMethods.attach('pm_card_chargeDeclined', { customer: customer.id }),
    );
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(declined.code).toBe('card_declined');

    const detached = await stripe.paymentMethods.detach(created.id);
    expect(detached.customer).toBeNull();
    const again = await caught(stripe.paymentMethods.attach(created.id, { customer: customer.id }));
    expect(again).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(again.statusCode).toBe(400);
    const events = await stripe.events.list({ type: 'payment_method.updated' });
    expect(events.data.some((event) => (event.data.object as any).id === created.id)).toBe(true);
  });

  it('when a SetupIntent is confirmed, then a good card is attached, a 3-D Secure card requires_action until the challenge, a declining card is a StripeCardError carrying the SetupIntent', async () => {
    const customer = await stripe.customers.create({ name: 'Setup' });
    const setup = await stripe.setupIntents.create({
      customer: customer.id,
      payment_method: 'pm_card_visa',
      usage: 'off_session',
      confirm: true,
      metadata: { order: '7' },
    });
    expect(setup).toMatchObject({
      object: 'setup_intent',
      status: 'succeeded',
      customer: customer.id,
      usage: 'off_session',
      metadata: { order: '7' },
      payment_method_types: ['card'],
    });
    expect(setup.id).toMatch(/^seti_/);
    expect(setup.client_secret).toMatch(new RegExp(`^${setup.id}_secret_`));
    const saved = await stripe.paymentMethods.retrieve(setup.payment_method as string);
    expect(saved.customer).toBe(customer.id);

    const challenged = await stripe.setupIntents.create({
      customer: customer.id,
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
      return_url: 'https://shop.example/card-saved',
    });
    expect(challenged.status).toBe('requires_action');
    expect(challenged.next_action?.redirect_to_url?.url).toContain(
      `/pay/${challenged.id}/authenticate`,
    );
    // The return_url is kept and shown where Stripe shows it.
    expect(challenged.next_action?.redirect_to_url?.return_url).toBe(
      'https://shop.example/card-saved',
    );
    // The hosted challenge page takes the SetupIntent's client secret from the link's fragment.
    expect(new URL(challenged.next_action!.redirect_to_url!.url!).hash).toBe(
      `#${challenged.client_secret}`,
    );
    const answer = await t.api('POST', `/v1/setup_intents/${challenged.id}/authenticate`, {
      body: { client_secret: challenged.client_secret, outcome: 'complete' },
    });
    expect(answer.status, answer.text).toBe(200);
    expect((await stripe.setupIntents.retrieve(challenged.id)).status).toBe('succeeded');

    const pending = await stripe.setupIntents.create({ customer: customer.id });
    expect(pending.status).toBe('requires_payment_method');
    const withMethod = await stripe.setupIntents.update(pending.id, {
      payment_method: 'pm_card_chargeDeclined',
      metadata: { try: '1' },
    });
    expect(withMethod.status).toBe('requires_confirmation');
    const declined = await caught(stripe.setupIntents.confirm(pending.id));
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(declined.code).toBe('card_declined');
    expect(declined.raw.setup_intent).toMatchObject({
      id: pending.id,
      status: 'requires_payment_method',
      last_setup_error: { code: 'card_declined', decline_code: 'generic_decline' },
    });
    const canceled = await stripe.setupIntents.cancel(pending.id, {
      cancellation_reason: 'abandoned',
    });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    const refused = await caught(stripe.setupIntents.confirm(pending.id));
    expect(refused).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(refused.code).toBe('setup_intent_unexpected_state');

    // Confirm on its own, the card given at confirm: succeeded, and the card saved to the customer.
    const later = await stripe.setupIntents.create({ customer: customer.id });
    const confirmed = await stripe.setupIntents.confirm(later.id, {
      payment_method: 'pm_card_visa',
    });
    expect(confirmed).toMatchObject({ id: later.id, status: 'succeeded', customer: customer.id });
    const confirmedCard = await stripe.paymentMethods.retrieve(confirmed.payment_method as string);
    expect(confirmedCard).toMatchObject({ customer: customer.id, card: { last4: '4242' } });

    const listed = await stripe.setupIntents.list({ customer: customer.id });
    expect(listed.data.map((item) => item.id)).toEqual([
      later.id,
      pending.id,
      challenged.id,
      setup.id,
    ]);
    const succeededEvents = await stripe.events.list({ type: 'setup_intent.succeeded' });
    expect(succeededEvents.data.map((event) => (event.data.object as any).id)).toEqual(
      expect.arrayContaining([setup.id, challenged.id]),
    );
  });
});

describe('Checkout Sessions on Expe’s hosted checkout', () => {
  /** What the hosted page does when the shopper pays by card: confirm with the client secret. */
  const payOnHostedPage = async (client: Stripe, intentId: string) => {
    const intent = await client.paymentIntents.retrieve(intentId);
    return t.api('POST', `/v1/payments/${toExpeId(intent.id)}/confirm`, {
      body: {
        client_secret: toExpeId(intent.client_secret!),
        method: 'card',
        card: { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' },
      },
    });
  };

  it('when a session with line items and client_reference_id is paid on the hosted page, then it completes, checkout.session.completed arrives verified, success_url carries its id, and it lists with its line items', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const shop = await onboardMerchant(t, 'stripe-checkout');
      const client = stripeFor(shop.key.secret);
      const endpoint = await client.webhookEndpoints.create({
        url: receiver.url,
        enabled_events: ['checkout.session.completed', 'checkout.session.expired'],
      });
      const customer = await client.customers.create({ email: 'asha@example.com' });
      const session = await client.checkout.sessions.create({
        mode: 'payment',
        line_items: [
          {
            price_data: { currency: 'usd', unit_amount: 1_500, product_data: { name: 'T-shirt' } },
            quantity: 2,
          },
          {
            price_data: { currency: 'usd', unit_amount: 500, product_data: { name: 'Sticker' } },
            quantity: 1,
          },
        ],
        client_reference_id: 'order-77',
        customer: customer.id,
        success_url: 'https://shop.example/success?session_id={CHECKOUT_SESSION_ID}',
        cancel_url: 'https://shop.example/cart',
        metadata: { cart: 'c-9' },
      });
      expect(session).toMatchObject({
        object: 'checkout.session',
        mode: 'payment',
        amount_subtotal: 3_500,
        amount_total: 3_500,
        currency: 'usd',
        status: 'open',
        payment_status: 'unpaid',
        client_reference_id: 'order-77',
        customer: customer.id,
        success_url: `https://shop.example/success?session_id=${session.id}`,
        cancel_url: 'https://shop.example/cart',
        metadata: { cart: 'c-9' },
      });
      expect(session.id).toMatch(/^cs_test_/);
      expect(session.payment_intent).toMatch(/^pi_/);
      expect(session.url).toContain(`/pay/${toExpeId(session.payment_intent as string)}`);
      expect(session.expires_at - session.created).toBe(24 * 3600);

      // Line items, a page at a time as the SDK's auto-pagination walks them.
      const items: Stripe.LineItem[] = [];
      for await (const item of client.checkout.sessions.listLineItems(session.id, { limit: 1 })) {
        items.push(item);
      }
      expect(items.map((item) => [item.description, item.quantity, item.amount_total])).toEqual([
        ['T-shirt', 2, 3_000],
        ['Sticker', 1, 500],
      ]);
      expect(items[0]).toMatchObject({ object: 'item', currency: 'usd', price: null });
      expect(items[0]!.id).toMatch(/^li_/);

      const paid = await payOnHostedPage(client, session.payment_intent as string);
      expect(paid.status, paid.text).toBe(200);
      // The hosted page sends the shopper to the session's success_url, its id filled in.
      expect(paid.body.return_url).toBe(`https://shop.example/success?session_id=${session.id}`);

      await receiver.waitFor((all) =>
        all.some((r) => r.event.type === 'checkout.session.completed'),
      );
      const delivery = receiver.received.find(
        (r) => r.event.type === 'checkout.session.completed',
      )!;
      const event = client.webhooks.constructEvent(
        delivery.rawBody,
        String(delivery.headers['stripe-signature']),
        endpoint.secret!,
      );
      expect(event.type).toBe('checkout.session.completed');
      expect(event.data.object).toMatchObject({
        id: session.id,
        object: 'checkout.session',
        status: 'complete',
        payment_status: 'paid',
        client_reference_id: 'order-77',
        payment_intent: session.payment_intent,
        url: null,
      });

      const completed = await client.checkout.sessions.retrieve(session.id, {
        expand: ['payment_intent', 'line_items'],
      });
      expect(completed).toMatchObject({ status: 'complete', payment_status: 'paid', url: null });
      expect((completed.payment_intent as Stripe.PaymentIntent).status).toBe('succeeded');
      expect(completed.line_items!.data).toHaveLength(2);

      const other = await client.checkout.sessions.create({
        mode: 'payment',
        line_items: [
          {
            price_data: { currency: 'usd', unit_amount: 900, product_data: { name: 'Cap' } },
            quantity: 1,
          },
        ],
      });
      const ids = (list: Stripe.ApiList<Stripe.Checkout.Session>) => list.data.map((s) => s.id);
      expect(ids(await client.checkout.sessions.list())).toEqual([other.id, session.id]);
      expect(
        ids(
          await client.checkout.sessions.list({
            payment_intent: session.payment_intent as string,
          }),
        ),
      ).toEqual([session.id]);
      expect(ids(await client.checkout.sessions.list({ customer: customer.id }))).toEqual([
        session.id,
      ]);
      expect(ids(await client.checkout.sessions.list({ status: 'open' }))).toEqual([other.id]);
    } finally {
      await receiver.close();
    }
  });

  it('when a session is expired, then checkout.session.expired is sent and it cannot be paid or expired again; a price or mixed currencies are refused before anything is written', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const shop = await onboardMerchant(t, 'stripe-checkout-expire');
      const client = stripeFor(shop.key.secret);
      const endpoint = await client.webhookEndpoints.create({
        url: receiver.url,
        enabled_events: ['checkout.session.expired'],
      });
      const session = await client.checkout.sessions.create({
        mode: 'payment',
        line_items: [
          {
            price_data: { currency: 'inr', unit_amount: 9_900, product_data: { name: 'Tea' } },
            quantity: 1,
          },
        ],
      });
      const expired = await client.checkout.sessions.expire(session.id);
      expect(expired).toMatchObject({ status: 'expired', payment_status: 'unpaid', url: null });
      const again = await caught(client.checkout.sessions.expire(session.id));
      expect(again).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(again).toMatchObject({ code: 'checkout_session_unexpected_state' });
      const pay = await payOnHostedPage(client, session.payment_intent as string);
      expect(pay.status).toBe(409);
      await receiver.waitFor((all) => all.length >= 1);
      const event = client.webhooks.constructEvent(
        receiver.received[0]!.rawBody,
        String(receiver.received[0]!.headers['stripe-signature']),
        endpoint.secret!,
      );
      expect(event).toMatchObject({
        type: 'checkout.session.expired',
        data: { object: { id: session.id, status: 'expired' } },
      });
      const unknown = await caught(client.checkout.sessions.retrieve('cs_test_123'));
      expect(unknown).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    } finally {
      await receiver.close();
    }

    const before = await expePaymentCount();
    const mixed = await caught(
      stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [
          {
            price_data: { currency: 'usd', unit_amount: 100, product_data: { name: 'A' } },
            quantity: 1,
          },
          {
            price_data: { currency: 'eur', unit_amount: 100, product_data: { name: 'B' } },
            quantity: 1,
          },
        ],
      }),
    );
    expect(mixed).toMatchObject({ param: 'line_items[1][price_data][currency]' });
    const byPrice = await caught(
      stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [{ price: 'price_1', quantity: 1 }],
      }),
    );
    expect(byPrice).toMatchObject({ code: 'parameter_unknown', param: 'line_items[0][price]' });
    expect(await expePaymentCount()).toBe(before);
  });
});

describe('examples/stripe-integration', () => {
  it('when the stock Stripe script runs against Expe, then it pays, sees a decline, refunds and verifies the webhook', async () => {
    const shop = await onboardMerchant(t, 'stripe-example');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['examples/stripe-integration/checkout.mjs'],
      {
        env: {
          ...process.env,
          STRIPE_SECRET_KEY: shop.key.secret,
          STRIPE_API_BASE: t.platform.stripeUrl!,
        },
        timeout: 30_000,
      },
    );
    expect(stdout).toMatch(/^payment {2}pi_\w+ succeeded 2000 usd$/m);
    expect(stdout).toContain('declined card_declined / generic_decline');
    expect(stdout).toMatch(/^refund {3}re_\w+ succeeded 500$/m);
    expect(stdout).toMatch(/^webhook {2}payment_intent\.succeeded pi_\w+ \(signature verified\)$/m);
    expect(stdout).toMatch(/^done {5}evt_\w+$/m);
  });
});

describe('rate limits on the Stripe-compatible API', () => {
  it('when a key goes over its rate limit, then the SDK raises StripeRateLimitError (429 with Retry-After)', async () => {
    const limited = await startTestPlatform({
      RATE_LIMIT_PER_KEY: '2',
      RATE_LIMIT_WINDOW_MS: '60000',
    });
    try {
      const shop = await onboardMerchant(limited, 'stripe-limited');
      const url = new URL(limited.platform.stripeUrl!);
      const client = new Stripe(shop.key.secret, {
        host: url.hostname,
        port: Number(url.port),
        protocol: 'http',
        maxNetworkRetries: 0,
      });
      const results = await Promise.allSettled(
        Array.from({ length: 4 }, () => client.balance.retrieve()),
      );
      const refused = results.filter((result) => result.status === 'rejected');
      expect(refused.length).toBeGreaterThan(0);
      const error = (refused[0] as PromiseRejectedResult).reason;
      expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
      expect(error.statusCode).toBe(429);
      expect(error.headers['retry-after']).toBeTruthy();
    } finally {
      await limited.close();
    }
  });
});

// Last: every operation docs/stripe-compatibility.md marks supported or partial was driven by
// stripe-node in this file, as the listener counted it (issue 20: each row exercised by both
// official clients). An operation no stripe-node call can reach is listed here with why.
const notDrivenByStripeNode: Record<string, string> = {};

describe('the compatibility table against stripe-node', () => {
  it('when this file has run, then stripe-node drove every supported and partial operation to a 2xx answer', async () => {
    const coverage = await tableCoverage(t.url, 'stripe-node', notDrivenByStripeNode);
    expect(
      coverage.missing,
      `operations the table serves that stripe-node never drove to a 2xx answer: ${coverage.missing.join(', ')}`,
    ).toEqual([]);
    expect(coverage.staleExceptions, 'exceptions that are driven after all (remove them)').toEqual(
      [],
    );
  });
});
