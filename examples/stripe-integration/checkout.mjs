/* eslint-disable no-console -- an example prints what it does */
// A stock Stripe integration — the official `stripe` package, nothing Expe-specific — pointed at
// Expe's Stripe-compatible endpoint. Only the key and the host change:
//
//   STRIPE_SECRET_KEY=sk_test_… STRIPE_API_BASE=http://127.0.0.1:12111 node checkout.mjs
//
// It takes a payment, refunds part of it, and receives the webhook for it, verified with
// stripe.webhooks.constructEvent (the receiver listens on 127.0.0.1; test mode delivers there).
import { createServer } from 'node:http';
import Stripe from 'stripe';

const key = process.env.STRIPE_SECRET_KEY;
if (!key) {
  console.error('Set STRIPE_SECRET_KEY to an Expe secret test key (sk_test_…)');
  process.exit(2);
}
const base = new URL(process.env.STRIPE_API_BASE ?? 'http://127.0.0.1:12111');
const stripe = new Stripe(key, {
  host: base.hostname,
  port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
  protocol: base.protocol.replace(':', ''),
});

// 1. A webhook receiver, as in Stripe's docs: raw body + Stripe-Signature → constructEvent.
// Deliveries arrive while the script goes on: each verified event is kept by type, and the
// script prints them at the end, in a fixed order.
let endpointSecret;
const verified = new Map();
const waiting = new Map();
const delivered = (type) =>
  verified.has(type)
    ? Promise.resolve(verified.get(type))
    : new Promise((resolve) => waiting.set(type, resolve));
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    try {
      const event = stripe.webhooks.constructEvent(
        Buffer.concat(chunks),
        req.headers['stripe-signature'],
        endpointSecret,
      );
      if (!verified.has(event.type)) verified.set(event.type, event);
      waiting.get(event.type)?.(event);
      res.writeHead(200).end();
    } catch (error) {
      console.error(`webhook  refused: ${error.message}`);
      res.writeHead(400).end();
    }
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const endpoint = await stripe.webhookEndpoints.create({
  url: `http://127.0.0.1:${server.address().port}/webhooks`,
  enabled_events: ['payment_intent.succeeded', 'payment_intent.payment_failed'],
});
endpointSecret = endpoint.secret;

try {
  // 2. Take a payment with a test card.
  const intent = await stripe.paymentIntents.create({
    amount: 2000,
    currency: 'usd',
    payment_method: 'pm_card_visa',
    confirm: true,
    metadata: { order_id: 'A-1001' },
  });
  console.log(`payment  ${intent.id} ${intent.status} ${intent.amount} ${intent.currency}`);

  // 3. A declined card raises StripeCardError, as with Stripe.
  try {
    await stripe.paymentIntents.create({
      amount: 500,
      currency: 'usd',
      payment_method: 'pm_card_chargeDeclined',
      confirm: true,
    });
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeCardError)) throw error;
    console.log(`declined ${error.code} / ${error.decline_code}`);
  }

  // 4. Refund part of it.
  const refund = await stripe.refunds.create({ payment_intent: intent.id, amount: 500 });
  console.log(`refund   ${refund.id} ${refund.status} ${refund.amount}`);

  // 5. The webhooks for the payment and the decline arrive, signed.
  const timeout = setTimeout(() => {
    console.error(`webhooks within 20 s: ${[...verified.keys()].join(', ') || 'none'}`);
    process.exit(1);
  }, 20_000);
  const event = await delivered('payment_intent.succeeded');
  const failed = await delivered('payment_intent.payment_failed');
  clearTimeout(timeout);
  for (const { type, data } of [event, failed]) {
    console.log(`webhook  ${type} ${data.object.id} (signature verified)`);
  }
  console.log(`done     ${event.id}`);
} finally {
  await stripe.webhookEndpoints.del(endpoint.id);
  server.close();
}
