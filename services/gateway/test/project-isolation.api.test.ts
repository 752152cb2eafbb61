import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createTestRedisPrefix, testRedisUrl, testSecrets } from '@expe/testing';
import {
  prefixedChannel,
  realtimeChannels,
  sha256Hex,
  signAccessToken,
  type RunningService,
} from '@expe/server-kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  json,
  openWebSocket,
  startGatewayInFront,
  startMerchantsStandIn,
  startStandIn,
  type StandIn,
} from './support.js';

// Issue 19 at the edge: a project is a sandbox. One merchant owns two projects, each with its
// own keys; what the gateway keeps itself (the request log) and what it decides itself (who
// follows which WebSocket channel) is per project and mode. The services behind it are
// stand-ins that answer as merchants and payments do, so this holds whatever they become;
// Redis is real.

const merchantId = 'mer_isoowner001';
const project1 = 'prj_isoproject1a';
const project2 = 'prj_isoproject2a';
const otherMerchantId = 'mer_isoother001';
const otherProject = 'prj_isootherprj1';
const ownerUserId = 'usr_isoowner001';
const walletUserId = 'usr_isowallet01';
const paymentOfProject1 = 'pay_isopayment001';

const projectsOf = new Map([
  [merchantId, [project1, project2]],
  [otherMerchantId, [otherProject]],
]);

interface KeyRow {
  key_id: string;
  key_type: 'secret' | 'publishable';
  merchant_id: string;
  project_id: string;
  mode: 'test' | 'live';
}
const keysByHash = new Map<string, KeyRow>();
function newKey(row: Omit<KeyRow, 'key_id'>): string {
  const prefix = `${row.key_type === 'secret' ? 'sk' : 'pk'}_${row.mode}_`;
  const key = `${prefix}${randomBytes(12).toString('hex')}`;
  keysByHash.set(sha256Hex(key), { key_id: `key_${randomBytes(6).toString('hex')}`, ...row });
  return key;
}
const keys = {
  project1: newKey({
    key_type: 'secret',
    merchant_id: merchantId,
    project_id: project1,
    mode: 'test',
  }),
  project1Live: newKey({
    key_type: 'secret',
    merchant_id: merchantId,
    project_id: project1,
    mode: 'live',
  }),
  project2: newKey({
    key_type: 'secret',
    merchant_id: merchantId,
    project_id: project2,
    mode: 'test',
  }),
  project2Publishable: newKey({
    key_type: 'publishable',
    merchant_id: merchantId,
    project_id: project2,
    mode: 'test',
  }),
  otherMerchant: newKey({
    key_type: 'secret',
    merchant_id: otherMerchantId,
    project_id: otherProject,
    mode: 'test',
  }),
};
const tokenOf = (userId: string, role: 'merchant' | 'user') =>
  signAccessToken(
    testSecrets.jwt,
    {
      sub: userId,
      role,
      email: `${userId}@example.com`,
      sid: `ses_${randomBytes(8).toString('hex')}`,
    },
    600,
  );
const ownerToken = tokenOf(ownerUserId, 'merchant');
const walletToken = tokenOf(walletUserId, 'user');

/** Payments: the owner of one payment of project 1 (test mode), and 200 for any public route. */
function paymentsStandIn() {
  return startStandIn((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path === `/internal/payments/${paymentOfProject1}`) {
      return json(res, 200, {
        id: paymentOfProject1,
        merchant_id: merchantId,
        project_id: project1,
        mode: 'test',
      });
    }
    if (path.startsWith('/internal/payments/')) {
      return json(res, 404, { error: { code: 'resource_missing' } });
    }
    json(res, 200, { object: 'balance' });
  });
}

const prefix = createTestRedisPrefix('gateway_projects');
const gatewayPrefix = `${prefix.prefix}gw:`;
let merchants: StandIn;
let payments: StandIn;
let gateway: RunningService;
let publisher: Redis;
beforeAll(async () => {
  merchants = await startMerchantsStandIn({
    keysByHash,
    merchantOfOwner: new Map([[ownerUserId, merchantId]]),
    projectsOf,
  });
  payments = await paymentsStandIn();
  gateway = await startGatewayInFront(
    {
      auth: payments.url,
      merchants: merchants.url,
      payments: payments.url,
      webhooks: payments.url,
    },
    prefix.prefix,
    { REDIS_KEY_PREFIX: gatewayPrefix },
  );
  publisher = new Redis(testRedisUrl);
});
afterAll(async () => {
  publisher?.disconnect();
  await gateway?.close();
  await Promise.all([merchants?.close(), payments?.close()]);
  await prefix.cleanup();
});

async function call(path: string, token: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${gateway.url}${path}`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
  return {
    status: response.status,
    requestId: response.headers.get('request-id') ?? '',
    body: (await response.json()) as any,
  };
}
const asSessionOf = (project: string, mode = 'test') => ({
  'expe-project': project,
  'expe-mode': mode,
});
const loggedIds = async (token: string, headers: Record<string, string> = {}) => {
  const page = await call('/v1/request_logs?limit=100', token, headers);
  expect(page.status).toBe(200);
  return (page.body.data as { id: string }[]).map((entry) => entry.id);
};

describe('the request log of a project', () => {
  it("when two projects of one merchant make requests, then each project's log (by key or by a session with Expe-Project) lists only its own, per mode", async () => {
    const ofProject1: string[] = [];
    for (let i = 0; i < 3; i++)
      ofProject1.push((await call('/v1/balance', keys.project1)).requestId);
    const ofProject1Live = (await call('/v1/balance', keys.project1Live)).requestId;
    const ofProject2 = (await call('/v1/balance', keys.project2)).requestId;

    // The log is written when each answer finishes: wait until each project sees its own.
    await vi.waitFor(async () =>
      expect(await loggedIds(keys.project1)).toEqual(expect.arrayContaining(ofProject1)),
    );
    await vi.waitFor(async () => expect(await loggedIds(keys.project2)).toContain(ofProject2));
    await vi.waitFor(async () =>
      expect(await loggedIds(keys.project1Live)).toContain(ofProject1Live),
    );

    const seenByProject2 = await loggedIds(keys.project2);
    const seenBySession2 = await loggedIds(ownerToken, asSessionOf(project2));
    const seenByProject1 = await loggedIds(keys.project1);
    for (const seen of [seenByProject2, seenBySession2]) {
      expect(seen).toContain(ofProject2);
      expect(seen.filter((id) => [...ofProject1, ofProject1Live].includes(id))).toEqual([]);
    }
    expect(seenByProject1).not.toContain(ofProject2);
    expect(seenByProject1).not.toContain(ofProject1Live);
    expect(await loggedIds(keys.otherMerchant)).toEqual([]);
  });
});

interface Socket {
  events: { channel: string; event: { id: string } }[];
  next(predicate: (message: any) => boolean): Promise<any>;
  subscribe(message: Record<string, unknown>): Promise<any>;
  close(): void;
}

async function connect(): Promise<Socket> {
  const { ws, messages } = await openWebSocket(gateway.url);
  const next = (predicate: (m: any) => boolean) =>
    vi.waitUntil(() => messages.find(predicate) as unknown, { timeout: 5_000, interval: 10 });
  return {
    get events() {
      return messages.filter((m) => m.type === 'event');
    },
    next,
    async subscribe(message) {
      const from = messages.length;
      ws.send(JSON.stringify({ type: 'subscribe', ...message }));
      return next(
        (m) => messages.indexOf(m) >= from && (m.type === 'subscribed' || m.type === 'error'),
      );
    },
    close: () => ws.close(),
  };
}

const publish = (channel: string, eventId: string) =>
  publisher.publish(prefixedChannel(gatewayPrefix, channel), JSON.stringify({ id: eventId }));
const eventIds = (socket: Socket) => socket.events.map((m) => m.event.id);

describe('the WebSocket merchant channel of a project', () => {
  it("when project 2's key and a session naming project 2 follow the merchant channel, then they receive project 2's events and never project 1's", async () => {
    const byKey1 = await connect();
    const byKey2 = await connect();
    const bySession2 = await connect();
    const bySession2Live = await connect();
    expect(await byKey1.subscribe({ channel: 'merchant', token: keys.project1 })).toMatchObject({
      type: 'subscribed',
    });
    expect(await byKey2.subscribe({ channel: 'merchant', token: keys.project2 })).toMatchObject({
      type: 'subscribed',
    });
    expect(
      await bySession2.subscribe({
        channel: 'merchant',
        token: ownerToken,
        project: project2,
        mode: 'test',
      }),
    ).toMatchObject({ type: 'subscribed' });
    expect(
      await bySession2Live.subscribe({
        channel: 'merchant',
        token: ownerToken,
        project: project2,
        mode: 'live',
      }),
    ).toMatchObject({ type: 'subscribed' });

    await publish(realtimeChannels.project(project1, 'test'), 'evt_project1');
    await publish(realtimeChannels.project(project2, 'test'), 'evt_project2');
    await publish(realtimeChannels.project(project2, 'live'), 'evt_project2live');
    await publish(realtimeChannels.project(project1, 'live'), 'evt_project1live');
    // Then a last event on each channel. One publisher, one gateway subscriber, one connection
    // per socket: each socket gets its messages in the order they were published, so once it
    // has its channel's fence, anything published before it has arrived or never will.
    const fences = [
      [byKey1, realtimeChannels.project(project1, 'test')],
      [byKey2, realtimeChannels.project(project2, 'test')],
      [bySession2, realtimeChannels.project(project2, 'test')],
      [bySession2Live, realtimeChannels.project(project2, 'live')],
    ] as const;
    for (const [, channel] of fences) await publish(channel, `evt_fence:${channel}`);
    for (const [socket, channel] of fences) {
      await socket.next((m) => m.type === 'event' && m.event.id === `evt_fence:${channel}`);
    }

    const withoutFences = (socket: Socket) =>
      eventIds(socket).filter((id) => !id.startsWith('evt_fence:'));
    expect(withoutFences(byKey1)).toEqual(['evt_project1']);
    expect(withoutFences(byKey2)).toEqual(['evt_project2']);
    expect(withoutFences(bySession2)).toEqual(['evt_project2']);
    expect(withoutFences(bySession2Live)).toEqual(['evt_project2live']);
    for (const socket of [byKey1, byKey2, bySession2, bySession2Live]) socket.close();
  });

  it('when a subscription names no project, another merchant’s project or not the key’s own, then it is refused with a code saying why', async () => {
    const socket = await connect();
    const refusals: [Record<string, unknown>, string][] = [
      [{ channel: 'merchant', token: ownerToken }, 'project_required'],
      [{ channel: 'merchant', token: ownerToken, mode: 'test' }, 'project_required'],
      [{ channel: 'merchant', token: ownerToken, project: otherProject }, 'not_found'],
      [{ channel: 'merchant', token: keys.project2, project: project1 }, 'forbidden'],
      [{ channel: 'merchant', token: keys.project2, mode: 'live' }, 'forbidden'],
      [{ channel: 'merchant', token: keys.project2Publishable }, 'forbidden'],
      [{ channel: 'merchant', token: walletToken, project: project2 }, 'forbidden'],
      [{ channel: 'merchant', token: ownerToken, project: 'project-2' }, 'invalid_message'],
    ];
    for (const [message, code] of refusals) {
      expect(await socket.subscribe(message), JSON.stringify(message)).toMatchObject({
        type: 'error',
        code,
      });
    }
    const missing = await socket.subscribe({ channel: 'merchant', token: ownerToken });
    expect(missing.message).toMatch(/project/);
    socket.close();
  });
});

describe('the WebSocket channel of a payment', () => {
  it("when project 2's key or session (or project 1's live key) follows a payment of project 1, then it is refused as missing, and project 1's key and session may follow it", async () => {
    const socket = await connect();
    const channel = `payment:${paymentOfProject1}`;
    const outcomes: [Record<string, unknown>, string][] = [
      [{ token: keys.project2 }, 'not_found'],
      [{ token: ownerToken, project: project2, mode: 'test' }, 'not_found'],
      [{ token: keys.project1Live }, 'not_found'],
      [{ token: ownerToken, project: project1, mode: 'live' }, 'not_found'],
      [{ token: keys.otherMerchant }, 'not_found'],
      [{ token: ownerToken }, 'project_required'],
      [{ token: keys.project1 }, 'subscribed'],
      [{ token: ownerToken, project: project1, mode: 'test' }, 'subscribed'],
    ];
    for (const [credentials, outcome] of outcomes) {
      const answer = await socket.subscribe({ channel, ...credentials });
      expect(answer.type === 'error' ? answer.code : answer.type, JSON.stringify(credentials)).toBe(
        outcome,
      );
    }
    socket.close();
  });
});
