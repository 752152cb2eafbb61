import {
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
    const register = async (label: string) =>
      (
        await t.api('POST', '/v1/auth/register', {
          body: {
            email: uniqueEmail(label),
            password: 'correct horse battery',
            name: label,
            role: 'user',
          },
        })
      ).body;
    const sender = await register('sdk-sender');
    const recipient = await register('sdk-recipient');
    const wallet = createExpeClient({ apiKey: sender.access_token, baseUrl: t.url }).wallet;

    await wallet.topup({ amount: 10000 });
    const transfer = await wallet.transfer({ to: recipient.user.vpa, amount: 2500, note: 'chai' });
    const after = await wallet.retrieve();
    const history = await wallet.listTransactions({ type: 'transfer_out' });

    expect(transfer).toMatchObject({ object: 'transfer', amount: 2500, status: 'completed' });
    expect(after.balance).toBe(7500);
    expect(history.data.map((entry) => entry.amount)).toEqual([-2500]);
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
