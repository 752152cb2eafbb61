import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface NpmStart {
  /** The gateway, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The gateway's Stripe-compatible listener. */
  stripeUrl: string;
  ports: { gateway: number; stripe: number };
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Ctrl-C as a terminal sends it (SIGINT to the whole process group), then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * `npm start` (scripts/start.ts) as a user runs it, on free ports and a state directory of the
 * caller's, without DATABASE_URL, REDIS_URL or NODE_ENV unless `env` sets them. Resolves once it
 * prints "Ready."; rejects with its output when it exits or takes longer than `timeoutMs`.
 */
export async function startNpmStart(
  stateDir: string,
  env: Record<string, string> = {},
  timeoutMs = 420_000,
  /** A command that runs Node in its stead (`unshare …` to hide installed servers). */
  launcher: string[] = [],
): Promise<NpmStart> {
  const [gateway, auth, merchants, payments, webhooks, stripe] = await Promise.all(
    Array.from({ length: 6 }, freePort),
  );
  const childEnv = { ...process.env, EXPE_STATE_DIR: stateDir, LOG_LEVEL: 'warn' } as Record<
    string,
    string
  >;
  delete childEnv.DATABASE_URL;
  delete childEnv.REDIS_URL;
  delete childEnv.NODE_ENV;
  delete childEnv.EXPE_TOPOLOGY;
  Object.assign(childEnv, {
    PORT: String(gateway),
    AUTH_PORT: String(auth),
    MERCHANTS_PORT: String(merchants),
    PAYMENTS_PORT: String(payments),
    WEBHOOKS_PORT: String(webhooks),
    STRIPE_PORT: String(stripe),
    ...env,
  });
  // Its own process group, so that stop() presses Ctrl-C as a terminal does.
  const child = spawn(
    launcher[0] ?? process.execPath,
    [
      ...(launcher.length > 0 ? [...launcher.slice(1), process.execPath] : []),
      '--conditions=@expe/source',
      '--import',
      'tsx',
      '--import',
      '@expe/server-kit/instrument',
      'scripts/start.ts',
    ],
    { cwd: repoRoot, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  };
  process.once('exit', kill);
  const deadline = Date.now() + timeoutMs;
  while (!output.includes('Ready.')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      kill();
      throw new Error(`npm start did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url: `http://127.0.0.1:${gateway}`,
    stripeUrl: `http://127.0.0.1:${stripe}`,
    ports: { gateway: gateway!, stripe: stripe! },
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      process.kill(-child.pid!, 'SIGINT');
      const timer = setTimeout(kill, 60_000);
      const code = await exited;
      clearTimeout(timer);
      process.off('exit', kill);
      return code;
    },
  };
}
