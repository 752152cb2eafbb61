import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { createTestRedisPrefix, testRedisUrl, testSecrets } from '@expe/testing';
import {
  prefixedChannel,
  realtimeChannels,
  revokedSessionKey,
  sha256Hex,
  signAccessToken,
  type RunningService,
} from '@expe/server-kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  openWebSocket,
  startGatewayInFront,
  startMerchantsStandIn,
  type StandIn,
} from './support.js';

// Live credentials on live sockets (issue 21), at the gateway alone: the periodic re-check that
// closes a subscription whose credential ended when the revocation message was lost, and the
// limits on what a client may send over /v1/ws. Merchants is a stand-in the test controls (a
// key it stops resolving); Redis is real.

const merchantId = 'mer_wscredowner1';
const projectId = 'prj_wscredproject';
const ownerUserId = 'usr_wscredowner1';
/** A second merchant, deactivated by one test (a gateway remembers a revocation for a minute). */
const closingMerchant = {
  id: 'mer_wscredclosing',
  project: 'prj_wscredclosing',
  owner: 'usr_wscredclosing',
};

const keysByHash = new Map<string, object>();
function newKey(merchant = { id: merchantId, project: projectId }): string {
  const key = `sk_test_${randomBytes(12).toString('hex')}`;
  keysByHash.set(sha256Hex(key), {
    key_id: `key_${randomBytes(6).toString('hex')}`,
    key_type: 'secret',
    merchant_id: merchant.id,
    project_id: merchant.project,
    mode: 'test',
  });
  return key;
}
const newSession = () => `ses_${randomBytes(8).toString('hex')}`;
const tokenOf = (sid: string, userId = ownerUserId) =>
  signAccessToken(
    testSecrets.jwt,
    { sub: userId, role: 'merchant', email: 'owner@example.com', sid },
    600,
  );

let merchants: StandIn;
let gateway: RunningService;
let redis: Redis;
const prefix = createTestRedisPrefix('gateway_ws_credentials');
const gatewayPrefix = `${prefix.prefix}gw:`;
const maxMessageBytes = 1_024;
const maxMessageDepth = 8;

beforeAll(async () => {
  merchants = await startMerchantsStandIn({
    keysByHash,
    merchantOfOwner: new Map([
      [ownerUserId, merchantId],
      [closingMerchant.owner, closingMerchant.id],
    ]),
    projectsOf: new Map([
      [merchantId, [projectId]],
      [closingMerchant.id, [closingMerchant.project]],
    ]),
  });
  gateway = await startGatewayInFront(
    {
      auth: merchants.url,
      merchants: merchants.url,
      payments: merchants.url,
      webhooks: merchants.url,
    },
    prefix.prefix,
    {
      REDIS_KEY_PREFIX: gatewayPrefix,
      WS_RECHECK_SECONDS: '1',
      API_KEY_CACHE_TTL_MS: '0',
      WS_MAX_MESSAGE_BYTES: String(maxMessageBytes),
      WS_MAX_MESSAGE_DEPTH: String(maxMessageDepth),
      // The fuzz below sends more messages than a burst; the rate has its own test.
      WS_MESSAGE_BURST: '1000',
    },
  );
  redis = new Redis(testRedisUrl);
});
afterAll(async () => {
  redis?.disconnect();
  await gateway?.close();
  await merchants?.close();
  await prefix.cleanup();
});

interface Socket {
  ws: WebSocket;
  messages: any[];
  closed: Promise<{ code: number; reason: string }>;
  /** Sends a raw frame and waits for the answer to it. */
  ask(data: string | Buffer): Promise<any>;
}

async function connect(): Promise<Socket> {
  const { ws, messages, closed } = await openWebSocket(gateway.url);
  return {
    ws,
    messages,
    closed,
    async ask(data) {
      const from = messages.length;
      ws.send(data);
      return vi.waitUntil(() => messages[from] as unknown, { timeout: 5_000, interval: 5 });
    },
  };
}

const subscribe = (message: Record<string, unknown>) =>
  JSON.stringify({ type: 'subscribe', ...message });

describe('the periodic re-check of a WebSocket subscription', () => {
  it('when a key stops resolving and no revocation message came, then its socket closes within the re-check interval with 4401', async () => {
    const key = newKey();
    const socket = await connect();
    expect(await socket.ask(subscribe({ channel: 'merchant', token: key }))).toMatchObject({
      type: 'subscribed',
    });

    keysByHash.delete(sha256Hex(key));

    expect(await socket.closed).toEqual({ code: 4401, reason: 'credential_invalid' });
  });

  it('when a session is marked signed out and no revocation message came, then its socket closes within the re-check interval with 4401', async () => {
    const sid = newSession();
    const socket = await connect();
    const answer = await socket.ask(
      subscribe({ channel: 'merchant', token: tokenOf(sid), project: projectId }),
    );
    expect(answer).toMatchObject({ type: 'subscribed' });

    await redis.set(`${gatewayPrefix}${revokedSessionKey(sid)}`, '1', 'EX', 60);

    expect(await socket.closed).toEqual({ code: 4401, reason: 'credential_invalid' });
  });

  it('when a credential stays valid, then its socket stays open across re-checks and still gets events', async () => {
    const socket = await connect();
    await socket.ask(subscribe({ channel: 'merchant', token: newKey() }));
    const rechecksBefore = merchants.seen.get('/internal/api-keys/resolve') ?? 0;

    await vi.waitUntil(
      () => (merchants.seen.get('/internal/api-keys/resolve') ?? 0) >= rechecksBefore + 2,
      { timeout: 5_000, interval: 20 },
    );
    await redis.publish(
      prefixedChannel(gatewayPrefix, realtimeChannels.project(projectId, 'test')),
      JSON.stringify({ id: 'evt_still_open' }),
    );

    await vi.waitUntil(() => socket.messages.some((m) => m.event?.id === 'evt_still_open'), {
      timeout: 5_000,
      interval: 10,
    });
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
    socket.ws.close();
  });

  it('when a revocation message names another credential or is garbage, then no socket closes', async () => {
    const socket = await connect();
    await socket.ask(subscribe({ channel: 'merchant', token: newKey() }));
    const channel = prefixedChannel(gatewayPrefix, realtimeChannels.revocations());
    for (const payload of [
      'not json',
      '{"kind":"session"}',
      '{"kind":"api_key","ids":"key_x","reason":"api_key_revoked"}',
      JSON.stringify({ kind: 'session', ids: [newSession()], reason: 'signed_out' }),
      JSON.stringify({ kind: 'unknown', ids: [merchantId], reason: 'signed_out' }),
    ]) {
      await redis.publish(channel, payload);
    }

    expect(await socket.ask(JSON.stringify({ type: 'ping' }))).toEqual({ type: 'pong' });
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
    socket.ws.close();
  });
});

describe('revocation messages at one gateway', () => {
  it("when a merchant's deactivation is published, then the sockets of its keys close with 4401 merchant_deactivated and its user's session stays", async () => {
    const byKey = await connect();
    await byKey.ask(subscribe({ channel: 'merchant', token: newKey(closingMerchant) }));
    const bySession = await connect();
    const session = await bySession.ask(
      subscribe({
        channel: 'merchant',
        token: tokenOf(newSession(), closingMerchant.owner),
        project: closingMerchant.project,
      }),
    );
    expect(session).toMatchObject({ type: 'subscribed' });

    await redis.publish(
      prefixedChannel(gatewayPrefix, realtimeChannels.revocations()),
      JSON.stringify({
        kind: 'merchant',
        ids: [closingMerchant.id],
        reason: 'merchant_deactivated',
      }),
    );

    expect(await byKey.closed).toEqual({ code: 4401, reason: 'merchant_deactivated' });
    expect(await bySession.ask(JSON.stringify({ type: 'ping' }))).toEqual({ type: 'pong' });
    bySession.ws.close();
  });

  it('when a subscribe is checked right after its key was revoked (a cached answer), then the socket closes instead of subscribing', async () => {
    const key = newKey();
    const { key_id: keyId } = keysByHash.get(sha256Hex(key)) as { key_id: string };
    const witness = await connect();
    await witness.ask(subscribe({ channel: 'merchant', token: key }));
    await redis.publish(
      prefixedChannel(gatewayPrefix, realtimeChannels.revocations()),
      JSON.stringify({ kind: 'api_key', ids: [keyId], reason: 'api_key_revoked' }),
    );
    // The gateway has taken the message in once the witness closed.
    expect(await witness.closed).toEqual({ code: 4401, reason: 'api_key_revoked' });
    const socket = await connect();

    // The stand-in still resolves the key, as the key cache would for API_KEY_CACHE_TTL_MS.
    socket.ws.send(subscribe({ channel: 'merchant', token: key }));

    expect(await socket.closed).toEqual({ code: 4401, reason: 'api_key_revoked' });
    expect(socket.messages.filter((m) => m.type === 'subscribed')).toEqual([]);
  });
});

describe('limits on WebSocket messages', () => {
  it('when a message is bigger than WS_MAX_MESSAGE_BYTES, then the socket closes with 1009', async () => {
    const socket = await connect();

    socket.ws.send(JSON.stringify({ type: 'ping', padding: 'x'.repeat(maxMessageBytes) }));

    expect((await socket.closed).code).toBe(1009);
  });

  it('when a message nests deeper than WS_MAX_MESSAGE_DEPTH, then it is refused with message_too_deep and the socket stays usable', async () => {
    const socket = await connect();
    const deep = `{"type":"ping","x":${'['.repeat(maxMessageDepth)}${']'.repeat(maxMessageDepth)}}`;

    expect(await socket.ask(deep)).toMatchObject({ type: 'error', code: 'message_too_deep' });
    expect(await socket.ask('{"type":"ping","x":"[[[[[[[[[[[[[[[["}')).toEqual({ type: 'pong' });
    socket.ws.close();
  });

  it('when a fuzz of malformed messages is sent, then each gets an error answer, the socket stays open and the gateway keeps serving', async () => {
    const socket = await connect();
    const random = (length: number) => randomBytes(length).toString('latin1');
    const messages: (string | Buffer)[] = [
      '',
      ' ',
      'null',
      '0',
      '1e309',
      '"subscribe"',
      '[]',
      '{}',
      '{"type":null}',
      '{"type":"subscribe"}',
      '{"type":"subscribe","channel":"merchant","token":null}',
      '{"type":"subscribe","channel":"merchant","token":{"__proto__":{"admin":true}}}',
      '{"__proto__":{"type":"ping"}}',
      '{"constructor":{"prototype":{"type":"ping"}}}',
      '{"type":"subscribe","channel":"payment:pay_\\u0000aaaaaaaaaa","token":"x"}',
      '{"type":"subscribe","channel":"merchant","token":"sk_test_\\ud800\\udfff\\u0000aaaaaaaaaaaaa"}',
      '{"type":"unsubscribe","channel":["merchant"]}',
      '{"type":"ping"',
      '{"type":"ping"}}',
      '\ufeff{"type":"ping"}',
      Buffer.from([0xff, 0xfe, 0xfd, 0x7b, 0x7d]).toString('latin1'),
      `{"type":"${'\\'.repeat(101)}"}`,
      `[${'1,'.repeat(300)}1]`,
      '{"a":'.repeat(maxMessageDepth) + '1' + '}'.repeat(maxMessageDepth),
      ...Array.from({ length: 20 }, (_, i) => random(1 + ((i * 37) % 400))),
    ];
    for (const message of messages) {
      const answer = await socket.ask(message);
      expect(answer.type, JSON.stringify(message)).toBe('error');
      expect(answer.code, JSON.stringify(message)).not.toBe('unavailable');
    }

    expect(await socket.ask(Buffer.from('{"type":"ping"}'))).toMatchObject({
      type: 'error',
      code: 'invalid_message',
    });
    expect(await socket.ask('{"type":"ping"}')).toEqual({ type: 'pong' });
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    socket.ws.close();
  });
});
