import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { onboardMerchant, platformPerFile } from './support/test-platform.js';

// Same credential, same answer, whichever transport asks (issue 11, finding 5): a publishable
// key is for the checkout side and may not read a payment over HTTP, so it may not follow one
// (and receive its customer_email and metadata) over the WebSocket either.

const t = platformPerFile();

/** Opens /v1/ws, sends one subscribe message and returns the server's answer to it. */
async function subscribe(message: Record<string, unknown>): Promise<any> {
  const ws = new WebSocket(`${t.url.replace('http', 'ws')}/v1/ws`);
  try {
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const answer = new Promise<any>((resolve) =>
      ws.on('message', (data) => {
        const parsed = JSON.parse((data as Buffer).toString('utf8'));
        if (parsed.type === 'subscribed' || parsed.type === 'error') resolve(parsed);
      }),
    );
    ws.send(JSON.stringify({ type: 'subscribe', ...message }));
    return await answer;
  } finally {
    ws.close();
  }
}

describe('a payment read with each kind of key, over HTTP and over the WebSocket', () => {
  it('when a publishable key asks for its own merchant’s payment, then HTTP refuses it and so does the WebSocket; the secret key gets it on both', async () => {
    const { key } = await onboardMerchant(t, 'pk-ws');
    const created = await t.api('POST', '/v1/payments', {
      token: key.secret,
      body: {
        amount: 1_000,
        currency: 'inr',
        customer_email: 'shopper@example.com',
        metadata: { order: '42' },
      },
    });
    expect(created.status).toBe(201);
    const channel = `payment:${created.body.id}`;

    const cases = [
      { credential: key.publishable, http: 403, ws: 'error' },
      { credential: key.secret, http: 200, ws: 'subscribed' },
    ];
    for (const { credential, http, ws } of cases) {
      const overHttp = await t.api('GET', `/v1/payments/${created.body.id}`, { token: credential });
      const overWs = await subscribe({ channel, token: credential });
      expect({ http: overHttp.status, ws: overWs.type }, credential.slice(0, 8)).toEqual({
        http,
        ws,
      });
      if (overHttp.status === 403) {
        expect(overHttp.body.error.code).toBe('secret_key_required');
        expect(overWs.code).toBe('forbidden');
      }
    }
  });
});
