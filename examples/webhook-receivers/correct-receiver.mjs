/* eslint-disable no-console -- an example prints what it does */
// A webhook receiver that does what a receiver must: it verifies every delivery's signature over
// the raw body with the SDK's verifier (400 for a forged or stale one), answers 2xx at once for
// an event it accepts, processes each event id once however often it comes, ignores event types
// it does not know, and does not assume events arrive in the order they happened.
//
//   EXPE_WEBHOOK_SECRET=whsec_… PORT=3000 node --conditions=@expe/source --import tsx examples/webhook-receivers/correct-receiver.mjs
//
// WEBHOOK_FORMAT=stripe reads Stripe-Signature (the Stripe-compatible endpoints' format, the same
// t=…,v1=… scheme) instead of Expe-Signature. GET /processed?event=evt_… answers how many times
// an event was processed, so `expe webhooks check --processed-url` can see the dedup.
import { createServer } from 'node:http';
import { verifyWebhookSignature, WebhookSignatureError } from '@expe/sdk';

const secret = process.env.EXPE_WEBHOOK_SECRET;
if (!secret) throw new Error('Set EXPE_WEBHOOK_SECRET to the endpoint signing secret (whsec_…)');
const signatureHeader =
  process.env.WEBHOOK_FORMAT === 'stripe' ? 'stripe-signature' : 'expe-signature';
const maxBodyBytes = 1024 * 1024;

/** event id → times processed; a real app keeps this in its database, in the same transaction. */
const processed = new Map();
/** object id → the newest `created` applied, so an older event never overwrites a newer state. */
const newestApplied = new Map();

function handle(event) {
  processed.set(event.id, (processed.get(event.id) ?? 0) + 1);
  const object = event.data?.object;
  if (!object?.id) return;
  if ((newestApplied.get(object.id) ?? 0) > event.created) return; // older news: nothing to apply
  newestApplied.set(object.id, event.created);
  switch (event.type) {
    case 'payment.succeeded':
    case 'payment_intent.succeeded':
      // fulfil the order for object.id here
      break;
    default:
      // a type this app does not use (or one newer than it): acknowledged, ignored
      break;
  }
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://receiver');
  if (req.method === 'GET' && url.pathname === '/processed') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ processed: processed.get(url.searchParams.get('event')) ?? 0 }));
    return;
  }
  if (req.method !== 'POST' || url.pathname !== '/webhooks') {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > maxBodyBytes) req.destroy();
    else chunks.push(chunk);
  });
  req.on('end', () => {
    let event;
    try {
      // The raw bytes as received, never re-serialised JSON; 300 s tolerance against replays.
      event = verifyWebhookSignature(
        Buffer.concat(chunks),
        req.headers[signatureHeader] ?? '',
        secret,
      );
    } catch (error) {
      if (!(error instanceof WebhookSignatureError)) throw error;
      res.writeHead(400, { 'content-type': 'text/plain' }).end(error.reason);
      return;
    }
    if (processed.has(event.id)) {
      res.writeHead(200).end('duplicate'); // a retry of an event already processed
      return;
    }
    res.writeHead(200).end('ok');
    handle(event);
  });
});

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`correct receiver on http://127.0.0.1:${server.address().port}/webhooks`);
});
