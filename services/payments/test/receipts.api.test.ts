import { beforeAll, describe, expect, it } from 'vitest';
import {
  cardBody,
  createPaidPayment,
  createPayment,
  expectError,
  stackPerFile,
  type TestMerchant,
} from './support.js';

const stack = stackPerFile('receipts');
let merchant: TestMerchant;

beforeAll(async () => {
  merchant = await stack.registerMerchant('Receipt Tea House');
});

/** The charge a paid payment made, as its merchant reads it. */
const chargeOf = async (payment: any) => {
  const response = await stack.call('GET', `/v1/charges/${payment.latest_charge}`, {
    as: merchant.testKey,
  });
  expect(response.status, response.text).toBe(200);
  return response.body;
};

/** Opens a receipt_url as the receipt page does: its fragment is the token; no credential. */
const openReceipt = (id: string, token: string) =>
  stack.call('GET', `/v1/receipts/${id}?token=${encodeURIComponent(token)}`);

const splitReceiptUrl = (url: string) => {
  const match = /^https:\/\/checkout\.expe\.test\/receipts\/(ch_[0-9a-z]+)#([\w-]+)$/.exec(url);
  expect(match, url).not.toBeNull();
  return { id: match![1]!, token: match![2]! };
};

describe('hosted receipts', () => {
  it('when a card pays, then anyone with the receipt_url reads what the receipt shows, and nothing more', async () => {
    const payment = await createPaidPayment(stack, merchant.testKey, {
      amount: 12_345,
      description: 'Two cups of chai',
      metadata: { internal: 'not on a receipt' },
      customer_email: 'buyer@example.com',
    });
    const charge = await chargeOf(payment);
    const { id, token } = splitReceiptUrl(charge.receipt_url);

    const receipt = await openReceipt(id, token);

    expect(id).toBe(charge.id);
    expect(receipt.status, receipt.text).toBe(200);
    expect(receipt.body).toEqual({
      object: 'receipt',
      charge: charge.id,
      receipt_number: expect.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/),
      merchant: { name: 'Receipt Tea House' },
      amount: 12_345,
      amount_captured: 12_345,
      amount_refunded: 0,
      currency: 'inr',
      status: 'succeeded',
      refunded: false,
      payment_method: { type: 'card', card: { brand: 'visa', last4: '4242' } },
      description: 'Two cups of chai',
      livemode: false,
      created: charge.created,
    });
  });

  it('when a charge is refunded, then its receipt shows the refund', async () => {
    const payment = await createPaidPayment(stack, merchant.testKey, { amount: 10_000 });
    const refund = await stack.call('POST', '/v1/refunds', {
      as: merchant.testKey,
      body: { payment: payment.id, amount: 2_500 },
    });
    expect(refund.status, refund.text).toBe(201);
    const { id, token } = splitReceiptUrl((await chargeOf(payment)).receipt_url);

    const receipt = await openReceipt(id, token);

    expect(receipt.status, receipt.text).toBe(200);
    expect(receipt.body).toMatchObject({ amount: 10_000, amount_refunded: 2_500, refunded: false });
  });

  it('when the token is wrong, belongs to another charge, or the id is unknown, then the answer is the same 404', async () => {
    const [first, second] = await Promise.all([
      createPaidPayment(stack, merchant.testKey),
      createPaidPayment(stack, merchant.testKey),
    ]);
    const own = splitReceiptUrl((await chargeOf(first)).receipt_url);
    const other = splitReceiptUrl((await chargeOf(second)).receipt_url);
    const unknownId = `ch_${'0'.repeat(26)}`;
    const tampered = `${own.token.slice(0, -1)}${own.token.endsWith('A') ? 'B' : 'A'}`;

    const answers = [
      await openReceipt(own.id, tampered),
      await openReceipt(own.id, other.token),
      await openReceipt(own.id, first.client_secret),
      await openReceipt(unknownId, own.token),
      await stack.call('GET', `/v1/receipts/${own.id}`),
    ];

    for (const answer of answers.slice(0, 4)) expectError(answer, 404, 'resource_missing');
    // No token at all is a malformed request, named as such.
    expectError(answers[4]!, 400, 'parameter_missing', 'token');
    const [wrong, others, secret] = answers.map((answer) => answer.body.error.message);
    expect(others).toBe(wrong);
    expect(secret).toBe(wrong);
  });

  it('when a charge failed, then it has no receipt, even with its token', async () => {
    const payment = await createPayment(stack, merchant.testKey);
    const declined = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, '4000000000000002'),
    });
    expect(declined.status, declined.text).toBe(402);
    const charges = await stack.call('GET', `/v1/charges?payment=${payment.id}`, {
      as: merchant.testKey,
    });
    const charge = charges.body.data[0];
    expect(charge.status).toBe('failed');
    expect(charge.receipt_url).toBeNull();
  });
});
