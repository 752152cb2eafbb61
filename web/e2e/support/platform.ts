import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { webDistDir } from './build-web.js';

/** The platform as `npm start` runs it, serving the built web app from the gateway. */
export function startWebPlatform(env: Record<string, string> = {}): Promise<TestPlatform> {
  return startTestPlatform({ WEB_DIST_DIR: webDistDir, ...env });
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: { id?: string; type?: string };
}

/** A loopback HTTP server that answers 200 to every webhook and keeps what it got. */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      try {
        received.push({
          headers: request.headers,
          body: JSON.parse(text) as ReceivedWebhook['body'],
        });
      } catch {
        received.push({ headers: request.headers, body: {} });
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/expe`,
    received,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

let counter = 0;
export function uniqueEmail(label: string): string {
  return `${label}.${Date.now().toString(36)}.${(counter++).toString(36)}@example.com`;
}

export const password = 'correct horse battery';
