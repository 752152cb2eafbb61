/* eslint-disable no-console -- an example prints what it does */
// A webhook receiver with the mistakes `expe webhooks check` exists to catch: it never verifies
// the signature (anyone can forge an event, or replay an old one), and it processes every
// delivery, so a retried event is processed twice. Do not copy it.
//
//   PORT=3001 node examples/webhook-receivers/incorrect-receiver.mjs
import { createServer } from 'node:http';

const processed = new Map();

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://receiver');
  if (req.method === 'GET' && url.pathname === '/processed') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ processed: processed.get(url.searchParams.get('event')) ?? 0 }));
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const event = JSON.parse(Buffer.concat(chunks).toString('utf8')); // WRONG: trusts any body
    processed.set(event.id, (processed.get(event.id) ?? 0) + 1); // WRONG: no dedup on event.id
    res.writeHead(200).end('ok');
  });
});

server.listen(Number(process.env.PORT ?? 3001), '127.0.0.1', () => {
  console.log(`incorrect receiver on http://127.0.0.1:${server.address().port}/webhooks`);
});
