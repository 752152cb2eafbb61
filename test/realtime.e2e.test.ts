import WebSocket from 'ws';
import { testIdentityEnv } from '@expe/testing';
import { describe, expect, it } from 'vitest';
import {
  onboardMerchant,
  platformPerFile,
  registerUser,
  secondProjectOf,
} from './support/test-platform.js';
import { connectRealtime, type RealtimeSocket } from './support/realtime-socket.js';

const t = platformPerFile({ WS_PING_INTERVAL_MS: '200' });

const connect = (options: WebSocket.ClientOptions = {}) => connectRealtime(t.url, options);

async function createPayment(secret: string, amount = 49_900) {
  const response = await t.api('POST', '/v1/payments', {
    token: secret,
    body: { amount, currency: 'inr', description: 'Masala chai' },
  });
  expect(response.status).toBe(201);
  return response.body;
}

const eventIdsOf = (socket: RealtimeSocket, type: string) =>
  socket.messages
    .filter((m) => m.type === 'event' && m.event.type === type)
    .map((m) => m.event.data.object.id);

describe('real-time updates over /v1/ws', () => {
  it('when a checkout page follows its payment with the client_secret, then payment.succeeded arrives within a second of the commit', async () => {
    const { key } = await onboardMerchant(t, 'ws-checkout');
    const payment = await createPayment(key.secret);
    const socket = await connect();
    socket.send({
      type: 'subscribe',
      channel: `payment:${payment.id}`,
      client_secret: payment.client_secret,
    });
    await socket.next((m) => m.type === 'subscribed');

    const confirmed = await t.api('POST', `/v1/payments/${payment.id}/confirm`, {
      body: {
        client_secret: payment.client_secret,
        method: 'card',
        card: { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' },
      },
    });
    const committedAt = Date.now();
    expect(confirmed.status).toBe(200);

    const message = await socket.next(
      (m) => m.type === 'event' && m.event.type === 'payment.succeeded',
      3_000,
    );
    expect(Date.now() - committedAt).toBeLessThan(1_000);
    expect(message).toMatchObject({
      channel: `payment:${payment.id}`,
      event: { object: 'event', data: { object: { id: payment.id, status: 'succeeded' } } },
    });
    socket.ws.close();
  });

  it("when a project's channel is followed with its secret key or a merchant user's session naming it, then it gets that project's events and neither another merchant's nor another project's of the same merchant", async () => {
    const a = await onboardMerchant(t, 'ws-a');
    const b = await onboardMerchant(t, 'ws-b');
    const a2 = await secondProjectOf(t, a, 'ws-a second project');
    const byKey = await connect();
    const bySession = await connect();
    const bySecondProject = await connect();
    byKey.send({ type: 'subscribe', channel: 'merchant', token: a.key.secret });
    bySession.send({
      type: 'subscribe',
      channel: 'merchant',
      token: a.token,
      project: a.project.id,
      mode: 'test',
    });
    bySecondProject.send({ type: 'subscribe', channel: 'merchant', token: a2.secret });
    for (const socket of [byKey, bySession, bySecondProject]) {
      await socket.next((m) => m.type === 'subscribed');
    }

    const theirs = await createPayment(b.key.secret);
    const mine = await createPayment(a.key.secret);
    const secondProjects = await createPayment(a2.secret);
    const mineAgain = await createPayment(a.key.secret);

    // Payments relays its events in the order they were written, and each socket gets them in
    // the order they were published: once a socket has the last payment meant for it, any
    // payment created before it has arrived or never will.
    const created = (id: string) => (m: any) =>
      m.type === 'event' && m.event.type === 'payment.created' && m.event.data.object.id === id;
    for (const socket of [byKey, bySession]) {
      await socket.next(created(mineAgain.id));
      expect(eventIdsOf(socket, 'payment.created')).toEqual([mine.id, mineAgain.id]);
    }
    await bySecondProject.next(created(secondProjects.id));
    expect(eventIdsOf(bySecondProject, 'payment.created')).toEqual([secondProjects.id]);
    expect(eventIdsOf(byKey, 'payment.created')).not.toContain(theirs.id);
    for (const socket of [byKey, bySession, bySecondProject]) socket.ws.close();
  });

  it('when a user follows their wallet channel, then a transfer to them arrives there', async () => {
    const sender = await registerUser(t, 'sender');
    const receiver = await registerUser(t, 'receiver');
    const socket = await connect();
    socket.send({ type: 'subscribe', channel: 'wallet', token: receiver.access_token });
    await socket.next((m) => m.type === 'subscribed');

    expect(
      (
        await t.api('POST', '/v1/wallet/topup', {
          token: sender.access_token,
          body: { amount: 10_000 },
        })
      ).status,
    ).toBe(201);
    const transfer = await t.api('POST', '/v1/wallet/transfers', {
      token: sender.access_token,
      body: { to: receiver.user.vpa, amount: 2_500 },
    });
    expect(transfer.status).toBe(201);

    const message = await socket.next(
      (m) => m.type === 'event' && m.event.type === 'transfer.completed',
    );
    expect(message.event.data.object).toMatchObject({ id: transfer.body.id, amount: 2_500 });
    socket.ws.close();
  });

  it('when the credentials are wrong, then the subscription is refused with a reason', async () => {
    const owner = await onboardMerchant(t, 'ws-refuse');
    const other = await onboardMerchant(t, 'ws-other');
    const payment = await createPayment(owner.key.secret);
    const socket = await connect();

    socket.send({
      type: 'subscribe',
      channel: `payment:${payment.id}`,
      client_secret: `${payment.id}_secret_wrongwrongwrong`,
    });
    expect(await socket.next((m) => m.type === 'error')).toMatchObject({ code: 'not_found' });
    socket.messages.length = 0;
    socket.send({ type: 'subscribe', channel: `payment:${payment.id}`, token: other.key.secret });
    expect(await socket.next((m) => m.type === 'error')).toMatchObject({ code: 'not_found' });
    socket.messages.length = 0;
    // Another project of the same merchant: its key, or the session naming it, sees no payment.
    const secondProject = await secondProjectOf(t, owner, 'ws-refuse second project');
    for (const credentials of [
      { token: secondProject.secret },
      { token: owner.token, project: secondProject.id, mode: 'test' },
    ]) {
      socket.send({ type: 'subscribe', channel: `payment:${payment.id}`, ...credentials });
      expect(await socket.next((m) => m.type === 'error')).toMatchObject({ code: 'not_found' });
      socket.messages.length = 0;
    }
    // A merchant user acts in one project: without naming it, the subscription is refused.
    for (const channel of ['merchant', `payment:${payment.id}`]) {
      socket.send({ type: 'subscribe', channel, token: owner.token });
      expect(await socket.next((m) => m.type === 'error')).toMatchObject({
        code: 'project_required',
      });
      socket.messages.length = 0;
    }
    socket.send({
      type: 'subscribe',
      channel: 'wallet',
      token: 'sk_test_nonsense_nonsense_nonsense',
    });
    expect(await socket.next((m) => m.type === 'error')).toMatchObject({ code: 'unauthorized' });
    socket.messages.length = 0;
    socket.send({ type: 'hello' });
    expect(await socket.next((m) => m.type === 'error')).toMatchObject({ code: 'invalid_message' });
    socket.send({ type: 'ping' });
    await socket.next((m) => m.type === 'pong');
    socket.ws.close();
  });

  it('pings at the protocol level, and drops a peer that stops answering', async () => {
    const healthy = await connect();
    const silent = await connect({ autoPong: false });
    let pings = 0;
    healthy.ws.on('ping', () => pings++);

    const silentClosed = await new Promise<boolean>((resolve) => {
      silent.ws.once('close', () => resolve(true));
      setTimeout(() => resolve(false), 3_000);
    });

    expect(silentClosed).toBe(true);
    expect(pings).toBeGreaterThanOrEqual(2);
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
    healthy.ws.close();
  });
});

describe('several gateway replicas', () => {
  it('when a client is connected to another gateway replica, then it receives the event too (Redis pub/sub fan-out)', async () => {
    const { startGateway, loadGatewayConfig } = await import('@expe/gateway');
    const { services } = t.platform;
    const second = await startGateway(
      loadGatewayConfig({
        ...t.env,
        ...testIdentityEnv('gateway'),
        PORT: '0',
        HOST: '127.0.0.1',
        AUTH_URL: services.auth!.url,
        MERCHANTS_URL: services.merchants!.url,
        PAYMENTS_URL: services.payments!.url,
        WEBHOOKS_URL: services.webhooks!.url,
      }),
    );
    try {
      const { key } = await onboardMerchant(t, 'ws-replica');
      const payment = await createPayment(key.secret);
      const ws = new WebSocket(`${second.url.replace('http', 'ws')}/v1/ws`);
      const messages: any[] = [];
      ws.on('message', (data) => messages.push(JSON.parse((data as Buffer).toString('utf8'))));
      await new Promise((resolve) => ws.once('open', resolve));
      ws.send(
        JSON.stringify({
          type: 'subscribe',
          channel: `payment:${payment.id}`,
          client_secret: payment.client_secret,
        }),
      );
      await waitUntil(() => messages.some((m) => m.type === 'subscribed'));

      const confirmed = await t.api('POST', `/v1/payments/${payment.id}/confirm`, {
        body: { client_secret: payment.client_secret, method: 'upi', upi: { vpa: 'success@expe' } },
      });
      expect(confirmed.status).toBe(200);

      await waitUntil(() =>
        messages.some((m) => m.type === 'event' && m.event.type === 'payment.succeeded'),
      );
      ws.close();
    } finally {
      await second.close();
    }
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
