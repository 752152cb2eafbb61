import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { perFile } from '@expe/testing';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  rawBody: string;
  event: { id: string; type: string; data: { object: Record<string, unknown> } };
}

/** A real HTTP server on loopback that records every webhook it receives and answers 200. */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, rawBody, event: JSON.parse(rawBody) });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    /** Resolves once `predicate` holds for what was received, or rejects after the timeout. */
    async waitFor(predicate: (all: ReceivedWebhook[]) => boolean, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > deadline) {
          throw new Error(`timed out; received ${received.map((r) => r.event.type).join(', ')}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

/** The test file's receiver: started before its first test, closed after its last. */
export function webhookReceiverPerFile(): WebhookReceiver {
  return perFile('the receiver', startWebhookReceiver, (receiver) => receiver.close());
}
