import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Redis } from 'ioredis';
import { WebSocketServer, type WebSocket } from 'ws';
import { prefixedChannel, type Logger } from '@expe/server-kit';
import { clientMessageSchema, SubscriptionError, type ServerMessage } from './protocol.js';

export interface RealtimeOptions {
  redisUrl: string;
  keyPrefix: string;
  pingIntervalMs: number;
  maxSubscriptionsPerSocket: number;
  logger: Logger;
  /** Returns the pub/sub channel (unprefixed) for an allowed subscription, or throws. */
  authorize(
    message: Extract<ReturnType<typeof clientMessageSchema.parse>, { type: 'subscribe' }>,
  ): Promise<string>;
}

interface Client {
  socket: WebSocket;
  isAlive: boolean;
  /** client channel name → pub/sub channel */
  channels: Map<string, string>;
}

/**
 * `/v1/ws`: clients subscribe to channels; every gateway replica subscribes in Redis to the
 * pub/sub channels its clients follow (reference-counted), so an event published once reaches
 * the right sockets on every replica. Dead peers are found by protocol-level pings.
 */
export function attachRealtime(server: Server, options: RealtimeOptions) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  const subscriber = new Redis(options.redisUrl, {
    lazyConnect: false,
    maxRetriesPerRequest: null,
  });
  subscriber.on('error', (error) => options.logger.warn({ err: error }, 'realtime redis error'));
  const listeners = new Map<string, Set<Client>>();
  const connected = new Set<Client>();

  subscriber.on('message', (fullChannel: string, payload: string) => {
    const clients = listeners.get(fullChannel);
    if (!clients) return;
    let event: unknown;
    try {
      event = JSON.parse(payload);
    } catch {
      return;
    }
    for (const client of clients) {
      for (const [name, channel] of client.channels) {
        if (prefixedChannel(options.keyPrefix, channel) === fullChannel) {
          send(client.socket, { type: 'event', channel: name, event });
        }
      }
    }
  });

  async function follow(client: Client, name: string, channel: string) {
    const full = prefixedChannel(options.keyPrefix, channel);
    let clients = listeners.get(full);
    if (!clients) {
      clients = new Set();
      listeners.set(full, clients);
      await subscriber.subscribe(full);
    }
    clients.add(client);
    client.channels.set(name, channel);
  }

  async function unfollow(client: Client, name: string) {
    const channel = client.channels.get(name);
    if (!channel) return;
    client.channels.delete(name);
    const full = prefixedChannel(options.keyPrefix, channel);
    const stillFollowing = [...client.channels.values()].includes(channel);
    const clients = listeners.get(full);
    if (!clients || stillFollowing) return;
    clients.delete(client);
    if (clients.size === 0) {
      listeners.delete(full);
      await subscriber.unsubscribe(full).catch(() => undefined);
    }
  }

  async function handle(client: Client, raw: string) {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return send(client.socket, { type: 'error', code: 'invalid_message', message: 'Send JSON' });
    }
    const parsed = clientMessageSchema.safeParse(json);
    if (!parsed.success) {
      return send(client.socket, {
        type: 'error',
        code: 'invalid_message',
        message:
          'Expected {type: "subscribe", channel: "payment:<id>" | "merchant" | "wallet", token | client_secret, project?: "prj_…", mode?: "test" | "live"}, {type: "unsubscribe", channel} or {type: "ping"}',
      });
    }
    const message = parsed.data;
    if (message.type === 'ping') return send(client.socket, { type: 'pong' });
    if (message.type === 'unsubscribe') {
      await unfollow(client, message.channel);
      return send(client.socket, { type: 'unsubscribed', channel: message.channel });
    }
    if (
      client.channels.size >= options.maxSubscriptionsPerSocket &&
      !client.channels.has(message.channel)
    ) {
      return send(client.socket, {
        type: 'error',
        code: 'too_many_subscriptions',
        message: `At most ${options.maxSubscriptionsPerSocket} channels per connection`,
        channel: message.channel,
      });
    }
    try {
      const channel = await options.authorize(message);
      await unfollow(client, message.channel);
      await follow(client, message.channel, channel);
      send(client.socket, { type: 'subscribed', channel: message.channel });
    } catch (error) {
      const known = error instanceof SubscriptionError;
      if (!known) options.logger.error({ err: error }, 'realtime subscribe failed');
      send(client.socket, {
        type: 'error',
        code: known ? error.code : 'unavailable',
        message: known ? error.message : 'Could not subscribe; try again',
        channel: message.channel,
      });
    }
  }

  wss.on('connection', (socket: WebSocket) => {
    const client: Client = { socket, isAlive: true, channels: new Map() };
    connected.add(client);
    socket.on('pong', () => {
      client.isAlive = true;
    });
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      if (isBinary) {
        return send(socket, {
          type: 'error',
          code: 'invalid_message',
          message: 'Send text frames',
        });
      }
      void handle(
        client,
        Buffer.isBuffer(data)
          ? data.toString('utf8')
          : Buffer.from(data as ArrayBuffer).toString('utf8'),
      );
    });
    socket.on('close', () => {
      connected.delete(client);
      for (const name of [...client.channels.keys()]) void unfollow(client, name);
    });
    socket.on('error', () => socket.terminate());
  });

  // A peer that did not answer the previous ping is gone (laptop closed, network dropped).
  const heartbeat = setInterval(() => {
    for (const client of connected) {
      if (!client.isAlive) {
        client.socket.terminate();
        continue;
      }
      client.isAlive = false;
      client.socket.ping();
    }
  }, options.pingIntervalMs);
  heartbeat.unref();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/v1/ws') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  server.on('upgrade', onUpgrade);

  return {
    async close() {
      clearInterval(heartbeat);
      server.off('upgrade', onUpgrade);
      for (const socket of wss.clients) socket.close(1001, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      subscriber.disconnect();
    },
  };
}

function send(socket: WebSocket, message: ServerMessage): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}
