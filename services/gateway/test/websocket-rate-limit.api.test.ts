import WebSocket from 'ws';
import { createTestRedisPrefix } from '@expe/testing';
import type { RunningService } from '@expe/server-kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { messageBucket } from '../src/realtime/protocol.js';
import { json, openWebSocket, startGatewayInFront, startStandIn, type StandIn } from './support.js';

// The per-connection message rate of /v1/ws (issue 21): a token bucket of WS_MESSAGE_BURST
// messages refilled at WS_MESSAGE_RATE per second; one message past it closes the socket with
// 4429. Real gateway and Redis; the services behind it are never asked (pings only).

const burst = 5;
const perSecond = 20;
let upstream: StandIn;
let gateway: RunningService;
const prefix = createTestRedisPrefix('gateway_ws_rate');

beforeAll(async () => {
  upstream = await startStandIn((_req, res) => json(res, 404, {}));
  gateway = await startGatewayInFront(
    {
      auth: upstream.url,
      merchants: upstream.url,
      payments: upstream.url,
      webhooks: upstream.url,
    },
    prefix.prefix,
    { WS_MESSAGE_RATE: String(perSecond), WS_MESSAGE_BURST: String(burst) },
  );
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
  await prefix.cleanup();
});

const connect = () => openWebSocket(gateway.url);

const ping = JSON.stringify({ type: 'ping' });

describe('the message rate of a WebSocket connection', () => {
  it('when a client sends more than WS_MESSAGE_BURST messages at once, then the burst is answered and the socket closes with 4429 message_rate_exceeded', async () => {
    const socket = await connect();

    for (let i = 0; i < burst + 3; i++) socket.ws.send(ping);

    expect(await socket.closed).toEqual({ code: 4429, reason: 'message_rate_exceeded' });
    expect(socket.messages).toEqual(Array.from({ length: burst }, () => ({ type: 'pong' })));
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
  });

  it('when a client sends a burst, pauses while its bucket refills, and sends another, then every message is answered and the socket stays open', async () => {
    const socket = await connect();

    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < burst; i++) socket.ws.send(ping);
      await vi.waitUntil(() => socket.messages.length === burst * (round + 1), { timeout: 5_000 });
      // A client that keeps to the rate: the time a full bucket takes to refill.
      await new Promise((resolve) => setTimeout(resolve, ((burst + 1) / perSecond) * 1000));
    }

    expect(socket.messages).toHaveLength(3 * burst);
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
    socket.ws.close();
  });

  it('when time passes, then the bucket refills at its rate up to its burst and no further', () => {
    let now = 0;
    const bucket = messageBucket({ perSecond: 10, burst: 3 }, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    now += 100; // one message's worth
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    now += 60_000; // a long silence earns the burst, not six hundred messages
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});
