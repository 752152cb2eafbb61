import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import {
  platformPerFile,
  startTestPlatform,
  type OnboardedMerchant,
  type TestPlatform,
} from '../../../test/support/test-platform.js';
import { webDistDir } from './build-web.js';

/** The platform as `npm start` runs it, serving the built web app from the gateway. */
export function startWebPlatform(env: Record<string, string> = {}): Promise<TestPlatform> {
  return startTestPlatform({ WEB_DIST_DIR: webDistDir, ...env });
}

/** The file's platform as `npm start` runs it: started before its first test, closed after its last. */
export function webPlatformPerFile(env: Record<string, string> = {}): TestPlatform {
  return platformPerFile({ WEB_DIST_DIR: webDistDir, ...env });
}

/** A ₹1,250.00 payment for headphones, created with the merchant's test key. */
export async function createPayment(
  platform: TestPlatform,
  merchant: OnboardedMerchant,
  body: Record<string, unknown> = {},
) {
  const created = await platform.api('POST', '/v1/payments', {
    token: merchant.key.secret,
    body: { amount: 125000, currency: 'inr', description: 'Headphones', ...body },
  });
  expect(created.status).toBe(201);
  return created.body as { id: string; client_secret: string };
}

/**
 * A payment made with `secretKey` (in INR unless `body` says otherwise) and paid with the card
 * `number` (a sandbox test card); its id.
 */
export async function payWithCard(
  platform: TestPlatform,
  secretKey: string,
  body: { amount: number } & Record<string, unknown>,
  number = '4242424242424242',
): Promise<string> {
  const created = await platform.api('POST', '/v1/payments', {
    token: secretKey,
    body: { currency: 'inr', ...body },
  });
  expect(created.status, created.text).toBe(201);
  const payment = created.body as { id: string; client_secret: string };
  const confirmed = await platform.api('POST', `/v1/payments/${payment.id}/confirm`, {
    body: {
      client_secret: payment.client_secret,
      method: 'card',
      card: { number, exp_month: 12, exp_year: 2034, cvc: '123' },
    },
  });
  expect(confirmed.status, confirmed.text).toBe(200);
  return payment.id;
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
