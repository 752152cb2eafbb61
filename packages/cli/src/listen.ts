import type { Event, ExpeClient } from '@expe/sdk';
import WebSocket from 'ws';
import type { Credentials } from './config.js';
import { UsageError } from './config.js';
import { setEnvVariables } from './env-file.js';
import type { Output } from './output.js';
import { deriveListenSecret, signPayload } from './webhook-secret.js';

export interface ListenOptions {
  forwardTo?: string | undefined;
  events?: string[] | undefined;
  printSecret?: boolean;
  envFile?: string | undefined;
}

export interface Delivery {
  type: 'delivery';
  event: { id: string; type: string };
  url: string;
  status: number | null;
  latency_ms: number;
  error?: string;
}

/** `ws://host/v1/ws` for `http://host`, `wss://` for `https://`. */
export function webSocketUrl(apiBase: string): string {
  const url = new URL('/v1/ws', apiBase);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * Sets `EXPE_WEBHOOK_SECRET=…` in an env file, keeping its other lines; the file is left
 * readable by its owner only (an existing one too), since it now holds a secret.
 */
export function writeEnvFile(path: string, secret: string): Promise<void> {
  return setEnvVariables(path, { EXPE_WEBHOOK_SECRET: secret });
}

async function forward(url: string, secret: string, event: Event): Promise<Delivery> {
  const body = JSON.stringify(event);
  const started = performance.now();
  const record = (status: number | null, error?: string): Delivery => ({
    type: 'delivery',
    event: { id: event.id, type: event.type },
    url,
    status,
    latency_ms: Math.round(performance.now() - started),
    ...(error ? { error } : {}),
  });
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'expe-cli (listen)',
        'expe-signature': signPayload(secret, body, Math.floor(Date.now() / 1000)),
        'expe-event-id': event.id,
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    return record(response.status);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return record(null, cause ?? (error as Error).message);
  }
}

/**
 * Follows the key's `merchant` channel over `/v1/ws` (the events of the key's project in the
 * key's mode, never another project's) and forwards every event (or the ones in `events`) to
 * `forwardTo`, signed like a real delivery. Connects out only, so it works against a platform
 * anywhere (npm start, Kubernetes) with no inbound route to this machine. Resolves when stopped
 * by a signal; rejects when the server refuses the key.
 */
export async function listen(
  credentials: Credentials,
  client: ExpeClient,
  options: ListenOptions,
  output: Output,
  signal: AbortSignal,
): Promise<void> {
  const account = await client.account.retrieve();
  // An API key always has its key id (`key_id` is null only for a merchant user's session).
  const secret = deriveListenSecret(credentials.apiKey, account.key_id ?? account.project_id);
  if (options.envFile) {
    await writeEnvFile(options.envFile, secret);
    output.info(`Wrote EXPE_WEBHOOK_SECRET to ${options.envFile}`);
  }
  if (options.printSecret) {
    output.result({ secret }, () => secret);
    return;
  }
  if (!options.forwardTo) {
    throw new UsageError('expe listen needs --forward-to URL (or --print-secret).');
  }
  const forwardTo = new URL(options.forwardTo).toString();
  const wanted = options.events && options.events.length > 0 ? new Set(options.events) : null;

  // Deliveries go out one at a time, in the order the events arrived.
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (event: Event) => {
    queue = queue.then(async () => {
      const delivery = await forward(forwardTo, secret, event);
      output.record(delivery, () => {
        const time = new Date().toISOString().slice(11, 19);
        const outcome =
          delivery.status === null ? `error ${delivery.error}` : `[${delivery.status}]`;
        return `${time}  ${event.type.padEnd(20)} ${event.id}  --> ${outcome} POST ${forwardTo} (${delivery.latency_ms} ms)`;
      });
    });
  };

  let ready = false;
  let attempt = 0;
  while (!signal.aborted) {
    const outcome = await connectOnce(
      credentials,
      (event) => {
        if (!wanted || wanted.has(event.type)) enqueue(event);
      },
      () => {
        attempt = 0;
        if (!ready) {
          ready = true;
          output.record(
            {
              type: 'ready',
              secret,
              forward_to: forwardTo,
              events: wanted ? [...wanted] : ['*'],
              project_id: account.project_id,
              mode: account.mode,
            },
            () =>
              `Ready! Forwarding ${wanted ? [...wanted].join(', ') : 'all events'} of project ${account.project_id} (${account.mode} mode) to ${forwardTo}\n` +
              `Your webhook signing secret is ${secret} (the same every time for this key)\n` +
              'Press Ctrl-C to stop.',
          );
        } else {
          output.info('Reconnected.');
        }
      },
      signal,
    );
    if (outcome.kind === 'refused') {
      throw new UsageError(`The server refused the subscription: ${outcome.message}`, 1);
    }
    if (signal.aborted) break;
    attempt++;
    const delay = Math.min(10_000, 500 * 2 ** attempt);
    output.info(
      `Connection lost (${outcome.message}); reconnecting in ${Math.round(delay / 1000)} s…`,
    );
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, delay);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
  }
  await queue;
}

type ConnectOutcome = { kind: 'closed' | 'refused'; message: string };

function connectOnce(
  credentials: Credentials,
  onEvent: (event: Event) => void,
  onSubscribed: () => void,
  signal: AbortSignal,
): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const socket = new WebSocket(webSocketUrl(credentials.apiBase), {
      headers: { 'user-agent': 'expe-cli (listen)' },
    });
    let settled: ConnectOutcome | undefined;
    const finish = (outcome: ConnectOutcome) => {
      settled ??= outcome;
      socket.close();
    };
    const keepAlive = setInterval(() => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'ping' }));
    }, 25_000);
    const onAbort = () => finish({ kind: 'closed', message: 'stopped' });
    signal.addEventListener('abort', onAbort);

    socket.on('open', () => {
      socket.send(
        JSON.stringify({ type: 'subscribe', channel: 'merchant', token: credentials.apiKey }),
      );
    });
    socket.on('message', (data) => {
      let message: { type?: string; code?: string; message?: string; event?: Event };
      try {
        const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(new Uint8Array(data));
        message = JSON.parse(bytes.toString('utf8')) as typeof message;
      } catch {
        return;
      }
      if (message.type === 'subscribed') onSubscribed();
      else if (message.type === 'event' && message.event) onEvent(message.event);
      else if (message.type === 'error') {
        const refused = ['unauthorized', 'forbidden'].includes(message.code ?? '');
        if (refused) finish({ kind: 'refused', message: `${message.code}: ${message.message}` });
      }
    });
    socket.on('error', (error) => finish({ kind: 'closed', message: error.message }));
    socket.on('close', (code) => {
      clearInterval(keepAlive);
      signal.removeEventListener('abort', onAbort);
      resolve(settled ?? { kind: 'closed', message: `closed with code ${code}` });
    });
  });
}
