import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { isEmbeddedRedisUrl, listeningMessageType } from '@expe/server-kit';
import { generateIdentityKeys, identityEnvFor, type IdentityKeys } from './identity-keys.js';
import { platformPortsSetting } from './platform-ports.js';

export const serviceNames = ['merchants', 'auth', 'payments', 'webhooks', 'gateway'] as const;
export type ServiceName = (typeof serviceNames)[number];

export interface ProcessPlatformOptions {
  /** Variables every service reads: secrets, DATABASE_URL, REDIS_URL, REDIS_KEY_PREFIX, … */
  env: Record<string, string | undefined>;
  /** Listening ports; 0 (the default) lets each service pick a free one and report it. */
  ports?: Partial<Record<ServiceName, number>>;
  /**
   * The gateway's Stripe-compatible API port: 12111 by default when the gateway's port is fixed
   * (npm start), otherwise any free one (not reported back).
   */
  stripePort?: number;
  /** Address the gateway listens on; the services always listen on loopback. */
  gatewayHost?: string;
  /** The issuers' identity keypairs; default a fresh one per issuer. Each service gets its own. */
  identityKeys?: IdentityKeys;
  /** `inherit` (npm start) shows the services' logs; `ignore` (benchmarks) drops them. */
  stdio?: 'inherit' | 'ignore';
  /** Extra Node flags for every service, e.g. `--cpu-prof`. */
  execArgv?: string[];
  /**
   * How long the whole platform may take to become ready (default 10 minutes; 0 waits as long as
   * it takes). A slow or busy machine makes start slower, not fail: the limit only catches a
   * service that hangs. A service that exits while starting fails the start at once.
   */
  startTimeoutMs?: number;
  /** Called every `progressIntervalMs` while services are still starting. */
  onProgress?: (progress: StartProgress) => void;
  /** Default 10 s. */
  progressIntervalMs?: number;
  /** Called when a service exits without being asked to (crash, `kill -9`). */
  onUnexpectedExit?: (name: ServiceName, code: number | null, signal: string | null) => void;
}

export interface StartProgress {
  /** Services not ready yet, in start order. */
  starting: ServiceName[];
  ready: ServiceName[];
  elapsedMs: number;
}

/** The default of `startTimeoutMs`. */
export const defaultStartTimeoutMs = 600_000;

export interface ServiceProcess {
  name: ServiceName;
  url: string;
  pid: number;
}

export interface ProcessPlatform {
  gatewayUrl: string;
  /** Known when the Stripe-compatible API's port is (npm start). */
  stripeUrl: string | undefined;
  services: Record<ServiceName, ServiceProcess>;
  /** Sends a signal to one service and waits until it has exited (chaos tests). */
  kill(name: ServiceName, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a stopped service again on the port it had, so the others still find it. */
  restart(name: ServiceName): Promise<ServiceProcess>;
  close(): Promise<void>;
}

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Each service runs from its TypeScript sources, with the telemetry preload, as in `npm run dev`. */
function serviceMain(name: ServiceName): string {
  return `${repositoryRoot}services/${name}/src/main.ts`;
}

const nodeFlags = [
  '--conditions=@expe/source',
  '--import',
  'tsx',
  '--import',
  '@expe/server-kit/instrument',
];

/**
 * Starts every service in a process of its own, as Kubernetes runs them (one Deployment each),
 * so the platform uses every core. Services start in dependency order; each reports the URL it
 * listens on over IPC, and the next one is given it. Closing stops them in reverse order with
 * SIGTERM (each drains its HTTP server and workers), then SIGKILL after a grace period.
 */
export async function startPlatformProcesses(
  options: ProcessPlatformOptions,
): Promise<ProcessPlatform> {
  // Each process would hold a stand-in of its own, and the services would not meet in it.
  if (options.env.REDIS_URL && isEmbeddedRedisUrl(options.env.REDIS_URL)) {
    throw new Error(
      `REDIS_URL ${options.env.REDIS_URL} is Redis embedded in one process: run the services in ` +
        'one process (startPlatform, EXPE_TOPOLOGY=single) or give them a Redis server',
    );
  }
  const children = new Map<ServiceName, ChildProcess>();
  const stopping = new Set<ServiceName>();
  const services = {} as Record<ServiceName, ServiceProcess>;
  const gatewayHost = options.gatewayHost ?? '127.0.0.1';
  // Payments writes the gateway's public address into every checkout_url: known when the
  // gateway's port is fixed; otherwise payments keeps its default.
  const gatewayPort = options.ports?.gateway ?? 0;
  const checkoutBaseUrl =
    options.env.CHECKOUT_BASE_URL ??
    (gatewayPort === 0
      ? undefined
      : `http://${gatewayHost === '0.0.0.0' ? '127.0.0.1' : gatewayHost}:${gatewayPort}`);

  const stripePort = options.stripePort ?? (gatewayPort === 0 ? 0 : 12111);
  const identityKeys = options.identityKeys ?? generateIdentityKeys();
  const envFor = (name: ServiceName, port: number): NodeJS.ProcessEnv => {
    const url = (service: ServiceName) => services[service]?.url ?? '';
    const links: Record<ServiceName, Record<string, string>> = {
      merchants: {},
      auth: { MERCHANTS_URL: url('merchants') },
      payments: {
        AUTH_URL: url('auth'),
        MERCHANTS_URL: url('merchants'),
        ...(checkoutBaseUrl ? { CHECKOUT_BASE_URL: checkoutBaseUrl } : {}),
      },
      webhooks: {
        WEBHOOK_PLATFORM_PORTS: platformPortsSetting({
          env: { ...process.env, ...options.env },
          ports: [
            stripePort,
            ...serviceNames.map((service) =>
              services[service] ? Number(new URL(services[service].url).port) : undefined,
            ),
          ],
        }),
      },
      gateway: {
        STRIPE_PORT: String(stripePort),
        AUTH_URL: url('auth'),
        MERCHANTS_URL: url('merchants'),
        PAYMENTS_URL: url('payments'),
        WEBHOOKS_URL: url('webhooks'),
      },
    };
    return {
      ...process.env,
      ...options.env,
      ...identityEnvFor(name, identityKeys),
      OTEL_SERVICE_NAME: name,
      PORT: String(port),
      HOST: name === 'gateway' ? gatewayHost : '127.0.0.1',
      ...links[name],
    };
  };

  let isClosing = false;
  const spawnService = async (
    name: ServiceName,
    port: number,
    deadline: Deadline,
  ): Promise<ServiceProcess> => {
    const child = fork(serviceMain(name), [], {
      cwd: repositoryRoot,
      env: envFor(name, port),
      execArgv: [...nodeFlags, ...(options.execArgv ?? [])],
      stdio: options.stdio === 'ignore' ? ['ignore', 'ignore', 'ignore', 'ipc'] : 'inherit',
    });
    children.set(name, child);
    child.once('exit', (code, signal) => {
      if (children.get(name) === child) children.delete(name);
      if (!stopping.has(name) && !isClosing) options.onUnexpectedExit?.(name, code, signal);
    });
    const url = await waitUntilReady(name, child, deadline);
    const started = { name, url, pid: child.pid ?? 0 };
    services[name] = started;
    return started;
  };

  /** Starts services and reports progress until each is ready, or one fails, or time is up. */
  const startAll = async (
    names: readonly ServiceName[],
    start: (deadline: Deadline) => Promise<unknown>,
  ) => {
    const deadline = createDeadline(options.startTimeoutMs ?? defaultStartTimeoutMs);
    const progress = setInterval(() => {
      options.onProgress?.({
        starting: names.filter((name) => !deadline.ready.has(name)),
        ready: names.filter((name) => deadline.ready.has(name)),
        elapsedMs: Date.now() - deadline.startedAt,
      });
    }, options.progressIntervalMs ?? 10_000);
    try {
      await start(deadline);
    } finally {
      clearInterval(progress);
      deadline.cancel();
    }
  };

  const stop = async (name: ServiceName, signal: NodeJS.Signals = 'SIGTERM') => {
    const child = children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    stopping.add(name);
    const exited = once(child, 'exit');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    stopping.delete(name);
  };

  const close = async () => {
    // Every service is now asked to stop: one that exits before its turn (Ctrl-C reaches the
    // whole process group) is not an unexpected exit.
    isClosing = true;
    for (const name of [...serviceNames].reverse()) await stop(name);
  };

  try {
    const ports = serviceNames.map((name) => options.ports?.[name] ?? 0);
    if (ports.every((port) => port > 0)) {
      // Every address is known up front (npm start): start them all at once.
      for (const [index, name] of serviceNames.entries()) {
        const host = name === 'gateway' && gatewayHost !== '0.0.0.0' ? gatewayHost : '127.0.0.1';
        services[name] = { name, url: `http://${host}:${ports[index]}`, pid: 0 };
      }
      await startAll(serviceNames, (deadline) =>
        Promise.all(serviceNames.map((name, index) => spawnService(name, ports[index]!, deadline))),
      );
    } else {
      await startAll(serviceNames, async (deadline) => {
        for (const name of serviceNames) {
          await spawnService(name, options.ports?.[name] ?? 0, deadline);
        }
      });
    }
  } catch (error) {
    await close();
    throw error;
  }

  return {
    gatewayUrl: services.gateway.url,
    stripeUrl:
      stripePort === 0
        ? undefined
        : `http://${gatewayHost === '0.0.0.0' ? '127.0.0.1' : gatewayHost}:${stripePort}`,
    services,
    kill: stop,
    async restart(name) {
      await stop(name);
      let started: ServiceProcess | undefined;
      await startAll([name], async (deadline) => {
        started = await spawnService(name, Number(new URL(services[name].url).port), deadline);
      });
      return started!;
    },
    close,
  };
}

/** One limit for a whole start, shared by the services starting under it. */
interface Deadline {
  startedAt: number;
  /** Services that have been spawned and are not ready yet. */
  starting: Set<ServiceName>;
  ready: Set<ServiceName>;
  /** Rejects when the limit passes (never when it is 0). */
  expired: Promise<never>;
  cancel(): void;
}

function createDeadline(limitMs: number): Deadline {
  const starting = new Set<ServiceName>();
  const ready = new Set<ServiceName>();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    if (limitMs <= 0) return;
    timer = setTimeout(() => {
      const names = [...starting].join(', ') || 'the platform';
      reject(
        new Error(
          `${names} did not become ready within ${Math.round(limitMs / 1000)} s; ` +
            'set EXPE_START_TIMEOUT_MS to wait longer (0 waits as long as it takes)',
        ),
      );
    }, limitMs);
  });
  expired.catch(() => undefined);
  return { startedAt: Date.now(), starting, ready, expired, cancel: () => clearTimeout(timer) };
}

/**
 * Ready means: the service says it listens (over IPC, once its migrations ran and its server is
 * up), then its `/readyz` answers 200 (its PostgreSQL and Redis answer). No per-service timer:
 * it fails only when the child exits or the start's deadline passes.
 */
async function waitUntilReady(
  name: ServiceName,
  child: ChildProcess,
  deadline: Deadline,
): Promise<string> {
  deadline.starting.add(name);
  const aborted = new AbortController();
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) =>
      reject(new Error(`${name} exited while starting (code ${code}, signal ${signal})`)),
    );
  });
  exited.catch(() => undefined);
  const listening = new Promise<string>((resolve) => {
    child.on('message', (message: { type?: string; url?: string }) => {
      if (message?.type === listeningMessageType && message.url) resolve(message.url);
    });
  });
  try {
    const url = await Promise.race([listening, exited, deadline.expired]);
    await Promise.race([pollReadyz(url, aborted.signal), exited, deadline.expired]);
    deadline.ready.add(name);
    return url;
  } finally {
    aborted.abort();
    deadline.starting.delete(name);
  }
}

async function pollReadyz(url: string, signal: AbortSignal): Promise<void> {
  const readyz = `${url.replace('0.0.0.0', '127.0.0.1')}/readyz`;
  for (let waitMs = 100; !signal.aborted; waitMs = Math.min(waitMs * 2, 2_000)) {
    try {
      const answer = await fetch(readyz, {
        signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)]),
      });
      await answer.body?.cancel();
      if (answer.ok) return;
    } catch {
      // Not answering yet (or busy): ask again.
    }
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}
