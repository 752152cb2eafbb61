// The benchmark's webhook receiver, in a process of its own: answers 200 to every POST at once
// and remembers when each event arrived. The orchestrator asks it over IPC:
//   {type: 'stats'}  → {deliveries, distinctEvents, arrivals: {[objectId]: ms since epoch}}
//   {type: 'reset'}  → forgets everything
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceiverStats {
  deliveries: number;
  distinctEvents: number;
  /** When `payment.succeeded` for each payment first arrived (Date.now() here). */
  arrivals: Record<string, number>;
}

let deliveries = 0;
let events = new Set<string>();
let arrivals: Record<string, number> = {};

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const at = Date.now();
    deliveries += 1;
    try {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        id?: string;
        type?: string;
        data?: { object?: { id?: string } };
      };
      if (event.id) events.add(event.id);
      const objectId = event.data?.object?.id;
      if (event.type === 'payment.succeeded' && objectId && !(objectId in arrivals)) {
        arrivals[objectId] = at;
      }
    } catch {
      // The bare-POST baseline sends a fixed body; anything unparsable still counts as a POST.
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
});
server.keepAliveTimeout = 65_000;

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ type: 'listening', url: `http://127.0.0.1:${port}/webhooks` });
});

process.on('message', (message: { type: string }) => {
  if (message.type === 'reset') {
    deliveries = 0;
    events = new Set();
    arrivals = {};
    process.send?.({ type: 'reset' });
  } else if (message.type === 'stats') {
    const stats: ReceiverStats = { deliveries, distinctEvents: events.size, arrivals };
    process.send?.({ type: 'stats', stats });
  }
});
process.on('disconnect', () => process.exit(0));
