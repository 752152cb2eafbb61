import { describe, expect, it } from 'vitest';
import { onboardMerchant, platformPerFile } from './support/test-platform.js';
import { webhookReceiverPerFile } from './support/webhook-receiver.js';

// Reusable payment instruments through the real gateway: customers and saved cards
// charged off-session, QR codes paid by the UPI test helper, payment links opened by anyone.

const card = (number: string) => ({ number, exp_month: 12, exp_year: 2034, cvc: '123' });

const t = platformPerFile();
const receiver = webhookReceiverPerFile();

describe('reusable instruments through the gateway', () => {
  it('when a card is saved on a customer, then it is charged off-session; card 0341 is declined; the webhooks arrive', async () => {
    const { key } = await onboardMerchant(t, 'saved-cards');
    const endpoint = await t.api('POST', '/v1/webhook_endpoints', {
      token: key.secret,
      body: {
        url: receiver.url,
        enabled_events: ['customer.created', 'payment_method.attached'],
      },
    });
    expect(endpoint.status, endpoint.text).toBe(201);
    const customer = await t.api('POST', '/v1/customers', {
      token: key.secret,
      body: { email: 'asha@example.com', name: 'Asha' },
    });
    expect(customer.status, customer.text).toBe(201);

    const save = async (number: string) => {
      const payment = await t.api('POST', '/v1/payments', {
        token: key.secret,
        body: {
          amount: 50_000,
          currency: 'inr',
          customer: customer.body.id,
          setup_future_usage: 'off_session',
        },
      });
      expect(payment.status, payment.text).toBe(201);
      const paid = await t.api('POST', `/v1/payments/${payment.body.id}/confirm`, {
        body: { client_secret: payment.body.client_secret, method: 'card', card: card(number) },
      });
      expect(paid.status, paid.text).toBe(200);
    };
    await save('4242424242424242');
    await save('4000000000000341');
    const cards = await t.api('GET', `/v1/customers/${customer.body.id}/payment_methods`, {
      token: key.secret,
    });
    expect(cards.body.data.map((pm: any) => pm.card.last4)).toEqual(['0341', '4242']);
    const [declining, good] = cards.body.data;

    const charge = (paymentMethod: string) =>
      t.api('POST', '/v1/payments', {
        token: key.secret,
        body: {
          amount: 9_900,
          currency: 'inr',
          customer: customer.body.id,
          payment_method: paymentMethod,
          confirm: true,
          off_session: true,
        },
      });
    const ok = await charge(good.id);
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body).toMatchObject({ status: 'succeeded', payment_method: good.id });
    const declined = await charge(declining.id);
    expect(declined.status, declined.text).toBe(402);
    expect(declined.body.error.code).toBe('card_declined');

    // Another merchant cannot use (or see) this customer's card.
    const other = await onboardMerchant(t, 'other');
    const theirs = await t.api('POST', '/v1/customers', { token: other.key.secret, body: {} });
    const stolen = await t.api('POST', '/v1/payments', {
      token: other.key.secret,
      body: {
        amount: 100,
        currency: 'inr',
        customer: theirs.body.id,
        payment_method: good.id,
        confirm: true,
        off_session: true,
      },
    });
    expect(stolen.status).toBe(404);
    expect(stolen.body.error.param).toBe('payment_method');

    await receiver.waitFor((all) => {
      const types = all.map((r) => r.event.type);
      return (
        types.includes('customer.created') &&
        types.filter((x) => x === 'payment_method.attached').length === 2
      );
    });
  });

  it('when a QR code is created and paid by the test helper, then the gateway serves its image and its payments', async () => {
    const { key } = await onboardMerchant(t, 'qr');
    const qr = await t.api('POST', '/v1/qr_codes', {
      token: key.secret,
      body: { usage: 'single_use', fixed_amount: true, amount: 2_000, description: 'Table 4' },
    });
    expect(qr.status, qr.text).toBe(201);
    const image = await fetch(`${t.url}/v1/qr_codes/${qr.body.id}/image`, {
      headers: { authorization: `Bearer ${key.secret}` },
    });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');

    const paid = await t.api('POST', `/v1/test_helpers/qr_codes/${qr.body.id}/pay`, {
      token: key.secret,
      body: { amount: 2_000, vpa: 'success@expe' },
    });

    expect(paid.status, paid.text).toBe(201);
    expect(paid.body).toMatchObject({ status: 'succeeded', qr_code: qr.body.id });
    const read = await t.api('GET', `/v1/qr_codes/${qr.body.id}`, { token: key.secret });
    expect(read.body).toMatchObject({ status: 'closed', payments_count: 1 });
    const payments = await t.api('GET', `/v1/qr_codes/${qr.body.id}/payments`, {
      token: key.secret,
    });
    expect(payments.body.data.map((p: any) => p.id)).toEqual([paid.body.id]);
  });

  it('when anyone opens a payment link, then the gateway lets them start its checkout without credentials and pay it', async () => {
    const { key } = await onboardMerchant(t, 'links');
    const link = await t.api('POST', '/v1/payment_links', {
      token: key.secret,
      body: { amount: 19_900, currency: 'inr', description: 'Workshop ticket' },
    });
    expect(link.status, link.text).toBe(201);
    expect(new URL(link.body.url).pathname).toBe(`/pay/link/${link.body.id}`);

    const session = await t.api('POST', `/v1/payment_links/${link.body.id}/checkout`);
    expect(session.status, session.text).toBe(201);
    const paid = await t.api('POST', `/v1/payments/${session.body.payment}/confirm`, {
      body: {
        client_secret: session.body.client_secret,
        method: 'card',
        card: card('4242424242424242'),
      },
    });
    expect(paid.status, paid.text).toBe(200);
    expect(paid.body.payment_link).toBe(link.body.id);
    const again = await t.api('POST', `/v1/payment_links/${link.body.id}/checkout`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('payment_link_inactive');
  });
});
