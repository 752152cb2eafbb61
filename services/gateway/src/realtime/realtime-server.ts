import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  createSubscriber,
  prefixedChannel,
  realtimeChannels,
  type CredentialRevocation,
  type Logger,
} from '@expe/server-kit';
import {
  clientMessageSchema,
  closeCodes,
  isNestedDeeperThan,
  messageBucket,
  SubscriptionError,
  type Authorized,
  type ClientMessage,
  type Credential,
  type ServerMessage,
} from './protocol.js';

type Subscribe = Extract<ClientMessage, { type: 'subscribe' }>;

export interface RealtimeOptions {
  redisUrl: string;
  keyPrefix: string;
  pingIntervalMs: number;
  maxSubscriptionsPerSocket: number;
  /** How often a subscription's credential is checked again (a lost revocation message). */
  recheckIntervalMs: number;
  /** Largest client message; a bigger one closes the socket with 1009. */
  maxMessageBytes: number;
  /** Deepest nesting of arrays and objects in a client message. */
  maxMessageDepth: number;
  /**
   * Messages a socket may send: `burst` at once, refilled at `perSecond`. One more closes the
   * socket with 4429 `message_rate_exceeded` (each message may cost a credential check).
   */
  messageRate: { perSecond: number; burst: number };
  logger: Logger;
  /**
   * Returns the pub/sub channel (unprefixed) for an allowed subscription and the credential it
   * stands on, or throws; called again to re-check a live subscription.
   */
  authorize(message: Subscribe): Promise<Authorized>;
}

interface Subscription {
  /** The pub/sub channel (unprefixed). */
  channel: string;
  message: Subscribe;
  credential: Credential | undefined;
  timers: NodeJS.Timeout[];
}

interface Client {
  socket: WebSocket;
  isAlive: boolean;
  /** client channel name → its subscription */
  channels: Map<string, Subscription>;
}

/** How long a revocation is remembered, for a subscribe whose check raced it (caches). */
const recentRevocationMs = 60_000;
/** setTimeout's largest delay; a later end is rechecked long before anyway. */
const maxTimerMs = 2 ** 31 - 1;

/**
 * `/v1/ws`: clients subscribe to channels; every gateway replica subscribes in Redis to the
 * pub/sub channels its clients follow (reference-counted), so an event published once reaches
 * the right sockets on every replica. Dead peers are found by protocol-level pings.
 *
 * A subscription lives only as long as its credential: auth and merchants publish every
 * credential that ends on the revocations channel and each replica closes the sockets
 * subscribed with it (close codes in `closeCodes`); an access token's socket closes at its
 * `exp`; and each subscription re-checks its credential every `recheckIntervalMs` as HTTP
 * would, in case a revocation message was lost.
 */
export function attachRealtime(server: Server, options: RealtimeOptions) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
  const subscriber = createSubscriber(options.redisUrl, { name: 'expe-gateway-realtime' });
  subscriber.on('error', (error) => options.logger.warn({ err: error }, 'realtime redis error'));
  const listeners = new Map<string, Set<Client>>();
  const connected = new Set<Client>();
  const revocationsChannel = prefixedChannel(options.keyPrefix, realtimeChannels.revocations());
  const recentRevocations: { revocation: CredentialRevocation; seenAt: number }[] = [];
  const pendingRevocations = new Set<NodeJS.Timeout>();
  void subscriber.subscribe(revocationsChannel).catch((error: unknown) => {
    options.logger.error({ err: error }, 'realtime could not follow revocations');
  });

  subscriber.on('message', (fullChannel: string, payload: string) => {
    if (fullChannel === revocationsChannel) return onRevocation(payload);
    const clients = listeners.get(fullChannel);
    if (!clients) return;
    let event: unknown;
    try {
      event = JSON.parse(payload);
    } catch {
      return;
    }
    for (const client of clients) {
      for (const [name, { channel }] of client.channels) {
        if (prefixedChannel(options.keyPrefix, channel) === fullChannel) {
          send(client.socket, { type: 'event', channel: name, event });
        }
      }
    }
  });

  function onRevocation(payload: string) {
    let revocation: CredentialRevocation;
    try {
      revocation = JSON.parse(payload) as CredentialRevocation;
    } catch {
      return;
    }
    if (!Array.isArray(revocation.ids)) return;
    const delayMs = revocation.at ? Date.parse(revocation.at) - Date.now() : 0;
    if (!(delayMs > 0)) return revoke(revocation);
    // A rolled secret keeps working until its grace period ends.
    const timer = setTimeout(
      () => {
        pendingRevocations.delete(timer);
        revoke(revocation);
      },
      Math.min(delayMs, maxTimerMs),
    );
    timer.unref();
    pendingRevocations.add(timer);
  }

  function revoke(revocation: CredentialRevocation) {
    const now = Date.now();
    recentRevocations.push({ revocation, seenAt: now });
    while ((recentRevocations[0]?.seenAt ?? now) < now - recentRevocationMs) {
      recentRevocations.shift();
    }
    const code = revocation.reason === 'api_key_rolled' ? closeCodes.expired : closeCodes.revoked;
    for (const client of connected) {
      const isRevoked = [...client.channels.values()].some(({ credential }) =>
        isRevokedBy(credential, revocation),
      );
      if (isRevoked) end(client, code, revocation.reason);
    }
  }

  /** A revocation seen lately that already ends this credential (a check that raced it). */
  function recentRevocationOf(credential: Credential | undefined) {
    return recentRevocations.find(
      ({ revocation }) =>
        isRevokedBy(credential, revocation) &&
        (!revocation.at || Date.parse(revocation.at) <= Date.now()),
    )?.revocation;
  }

  /** Stops every delivery at once, then closes with the code and reason that say why. */
  function end(client: Client, code: number, reason: string) {
    for (const name of [...client.channels.keys()]) void unfollow(client, name);
    if (client.socket.readyState === client.socket.OPEN) client.socket.close(code, reason);
  }

  /** Asks again, as at subscribe time; a credential that no longer passes closes the socket. */
  async function recheck(client: Client, name: string) {
    const subscription = client.channels.get(name);
    if (!subscription) return;
    try {
      await options.authorize(subscription.message);
    } catch (error) {
      if (!(error instanceof SubscriptionError) || error.code === 'unavailable') {
        // Not a verdict on the credential: keep the socket, ask again next time.
        options.logger.warn({ err: error }, 'realtime recheck could not check the credential');
        return;
      }
      if (client.channels.get(name) !== subscription) return;
      if (error.code !== 'unauthorized') end(client, closeCodes.forbidden, 'access_withdrawn');
      else if (error.isExpired) end(client, closeCodes.expired, 'credential_expired');
      else end(client, closeCodes.revoked, 'credential_invalid');
    }
  }

  function startTimers(client: Client, name: string, subscription: Subscription) {
    const recheckTimer = setInterval(() => void recheck(client, name), options.recheckIntervalMs);
    recheckTimer.unref();
    subscription.timers.push(recheckTimer);
    const expiresAt = subscription.credential?.expiresAt;
    if (expiresAt !== undefined) {
      const expiryTimer = setTimeout(
        () => end(client, closeCodes.expired, 'access_token_expired'),
        Math.min(Math.max(expiresAt - Date.now(), 0), maxTimerMs),
      );
      expiryTimer.unref();
      subscription.timers.push(expiryTimer);
    }
  }

  async function follow(client: Client, name: string, subscription: Subscription) {
    const full = prefixedChannel(options.keyPrefix, subscription.channel);
    let clients = listeners.get(full);
    if (!clients) {
      clients = new Set();
      listeners.set(full, clients);
      await subscriber.subscribe(full);
    }
    clients.add(client);
    client.channels.set(name, subscription);
    startTimers(client, name, subscription);
  }

  async function unfollow(client: Client, name: string) {
    const subscription = client.channels.get(name);
    if (!subscription) return;
    client.channels.delete(name);
    for (const timer of subscription.timers) clearTimeout(timer);
    const { channel } = subscription;
    const full = prefixedChannel(options.keyPrefix, channel);
    const stillFollowing = [...client.channels.values()].some((other) => other.channel === channel);
    const clients = listeners.get(full);
    if (!clients || stillFollowing) return;
    clients.delete(client);
    if (clients.size === 0) {
      listeners.delete(full);
      await subscriber.unsubscribe(full).catch(() => undefined);
    }
  }

  async function handle(client: Client, raw: string) {
    if (isNestedDeeperThan(raw, options.maxMessageDepth)) {
      return send(client.socket, {
        type: 'error',
        code: 'message_too_deep',
        message: `Messages nest at most ${options.maxMessageDepth} levels of arrays and objects`,
      });
    }
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
      const { channel, credential } = await options.authorize(message);
      const revoked = recentRevocationOf(credential);
      if (revoked) {
        const code = revoked.reason === 'api_key_rolled' ? closeCodes.expired : closeCodes.revoked;
        return end(client, code, revoked.reason);
      }
      if (client.socket.readyState !== client.socket.OPEN) return;
      await unfollow(client, message.channel);
      await follow(client, message.channel, { channel, message, credential, timers: [] });
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
    const bucket = messageBucket(options.messageRate);
    connected.add(client);
    socket.on('pong', () => {
      client.isAlive = true;
    });
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      if (!bucket.take()) {
        // Every message counts, answered or not; a flood ends the connection, not the gateway.
        if (socket.readyState === socket.OPEN) {
          end(client, closeCodes.rateLimited, 'message_rate_exceeded');
        }
        return;
      }
      if (isBinary) {
        return send(socket, {
          type: 'error',
          code: 'invalid_message',
          message: 'Send text frames',
        });
      }
      handle(
        client,
        Buffer.isBuffer(data)
          ? data.toString('utf8')
          : Buffer.from(data as ArrayBuffer).toString('utf8'),
      ).catch((error: unknown) => {
        // Never a crash for one bad message: the client hears it, the log keeps the stack.
        options.logger.error({ err: error }, 'realtime message failed');
        send(socket, { type: 'error', code: 'unavailable', message: 'Could not handle that' });
      });
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
      for (const timer of pendingRevocations) clearTimeout(timer);
      server.off('upgrade', onUpgrade);
      for (const socket of wss.clients) socket.close(1001, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      subscriber.disconnect();
    },
  };
}

/** Whether the revocation ends this credential. A merchant's deactivation revokes its keys. */
function isRevokedBy(credential: Credential | undefined, revocation: CredentialRevocation) {
  if (!credential) return false;
  const ids = new Set(revocation.ids);
  const has = (id: string | undefined) => id !== undefined && ids.has(id);
  switch (revocation.kind) {
    case 'session':
      return has(credential.sessionId);
    case 'api_key':
      return has(credential.keyId) && credential.sessionId === undefined;
    case 'api_key_secret':
      return has(credential.secretHash);
    case 'project':
      return has(credential.projectId);
    case 'merchant':
      return has(credential.merchantId) && credential.sessionId === undefined;
    default:
      return false;
  }
}

function send(socket: WebSocket, message: ServerMessage): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}
