// The gateway's own CPU per request (issue 23), apart from everything behind it:
//
//   node --conditions=@expe/source --import tsx scripts/bench-gateway.ts
//
// The gateway runs in a process of its own, as deployed, on the test Redis, in front of a
// stand-in service (canned answers, in this process), so no service, database or bench
// platform competes with it for the cores. The load generator (its own process) sends
// `GET /v1/account` with a secret key (key lookup, version pin, rate limits, request log) and
// P2P transfers with people's access tokens (session check, rate limits); the figure is the
// gateway process's CPU time from /proc per completed request.
//
//   BENCH_GATEWAY_AGAINST=DIR   a second checkout (with its node_modules) whose gateway runs
//                               beside this one; the runs alternate between the two, so both
//                               meet the same machine, and the ratio is printed
//   BENCH_ROUNDS=4              timed runs per gateway and scenario (after a warm-up)
//   BENCH_SECONDS=5             length of each run
//   BENCH_CONNECTIONS=16        concurrent connections
//   BENCH_CPU_PROF=DIR          the gateways write V8 CPU profiles into DIR (bench/profile-top.ts)
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { latestApiVersion } from '@expe/contracts';
import { signAccessToken } from '@expe/server-kit';
import { createTestRedisPrefix, testIdentityEnv, testRedisUrl, testSecrets } from '@expe/testing';
import { cpuSpent, processSource, snapshot } from './bench/cpu.js';
import type { LoadResult, LoadSpec } from './bench/load-generator.js';

const against = process.env.BENCH_GATEWAY_AGAINST
  ? resolve(process.env.BENCH_GATEWAY_AGAINST)
  : undefined;
const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const cpuProfileDir = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined;
const tsxFlags = ['--conditions=@expe/source', '--import', 'tsx'];
const repositoryRoot = resolve(import.meta.dirname, '..');

const loadGenerator = fork(new URL('./bench/load-generator.ts', import.meta.url), [], {
  execArgv: tsxFlags,
  stdio: 'inherit',
});
function load(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolvePromise, reject) => {
    loadGenerator.once('message', (reply: { ok: boolean; result?: LoadResult; error?: string }) =>
      reply.ok && reply.result
        ? resolvePromise(reply.result)
        : reject(new Error(`load generator: ${reply.error}`)),
    );
    loadGenerator.send(spec);
  });
}

// ---- the stand-in behind the gateway ----------------------------------------------------------

const apiKey = `sk_test_${randomBytes(12).toString('hex')}`;
const answers: Record<string, { status: number; body: string }> = {
  'POST /internal/api-keys/resolve': {
    status: 200,
    body: JSON.stringify({
      key_id: 'key_benchgateway1',
      key_type: 'secret',
      merchant_id: 'mer_benchgateway1',
      project_id: 'prj_benchgateway1',
      mode: 'test',
    }),
  },
  'GET /internal/merchants/mer_benchgateway1/projects/prj_benchgateway1': {
    status: 200,
    body: JSON.stringify({
      id: 'prj_benchgateway1',
      object: 'project',
      name: 'Bench',
      api_version: latestApiVersion,
      created: 1765000000,
      expires_at: null,
      merchant_id: 'mer_benchgateway1',
    }),
  },
  // About the size of the merchants service's answer.
  'GET /v1/account': {
    status: 200,
    body: JSON.stringify({
      id: 'mer_benchgateway1',
      object: 'account',
      business_profile: { name: 'Bench shop', url: null },
      country: 'IN',
      default_currency: 'inr',
      email: 'bench@bench.example',
      settings: { payouts: { schedule: { interval: 'daily', delay_days: 2 } } },
      created: 1765000000,
      livemode: false,
    }),
  },
  'POST /v1/wallet/transfers': {
    status: 201,
    body: JSON.stringify({
      id: 'wtx_benchgateway1',
      object: 'wallet_transfer',
      amount: 100,
      currency: 'inr',
      status: 'succeeded',
      created: 1765000000,
    }),
  },
};

async function startStandIn(): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const answer = answers[`${req.method} ${req.url}`] ?? { status: 404, body: '{}' };
      res.writeHead(answer.status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(answer.body),
      });
      res.end(answer.body);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  return server;
}

// ---- the gateways -----------------------------------------------------------------------------

interface RunningGateway {
  name: string;
  url: string;
  process: ChildProcess;
}

async function startGatewayOf(
  name: string,
  root: string,
  env: NodeJS.ProcessEnv,
): Promise<RunningGateway> {
  const child = fork(`${root}/services/gateway/src/main.ts`, [], {
    cwd: root,
    env,
    execArgv: [
      ...tsxFlags,
      '--import',
      '@expe/server-kit/instrument',
      ...(cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : []),
    ],
    stdio: 'inherit',
  });
  const url = await new Promise<string>((resolvePromise, reject) => {
    child.once('exit', (code) => reject(new Error(`gateway of ${root} exited (${code})`)));
    child.on('message', (message: { type?: string; url?: string }) => {
      if (message.type === 'expe:listening' && message.url) resolvePromise(message.url);
    });
  });
  return { name, url, process: child };
}

// ---- the run ----------------------------------------------------------------------------------

async function main() {
  const redis = createTestRedisPrefix('bench_gateway');
  const standIn = await startStandIn();
  const serviceUrl = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
    STRIPE_ENABLED: 'false',
    JWT_SECRET: testSecrets.jwt.reveal(),
    ...testIdentityEnv('gateway'),
    REDIS_URL: testRedisUrl,
    REDIS_KEY_PREFIX: redis.prefix,
    AUTH_URL: serviceUrl,
    MERCHANTS_URL: serviceUrl,
    PAYMENTS_URL: serviceUrl,
    WEBHOOKS_URL: serviceUrl,
    // The benchmark measures the cost of the limits, not the limits.
    RATE_LIMIT_PER_KEY: '1000000',
    RATE_LIMIT_PER_IP: '1000000',
  };
  const users = Array.from({ length: 50 }, (_, i) => ({
    token: signAccessToken(
      testSecrets.jwt,
      {
        sub: `usr_benchgateway${i}`,
        role: 'user',
        email: `w${i}@bench.example`,
        sid: `ses_bench${i}`,
      },
      3600,
    ),
    vpa: `w${i}@expe`,
  }));
  const gateways: RunningGateway[] = [];
  try {
    gateways.push(await startGatewayOf('this checkout', repositoryRoot, env));
    if (against) gateways.push(await startGatewayOf(against, against, env));
    const specFor = (scenario: 'account' | 'p2p', url: string, duration: number): LoadSpec =>
      scenario === 'account'
        ? {
            kind: 'get',
            title: 'GET /v1/account',
            url: `${url}/v1/account`,
            headers: { authorization: `Bearer ${apiKey}` },
            connections,
            duration,
          }
        : {
            kind: 'p2p',
            title: 'P2P transfer',
            url: `${url}/v1/wallet/transfers`,
            users,
            hot: false,
            connections,
            duration,
          };
    const scenarios = ['account', 'p2p'] as const;
    // Warm-up (JIT, caches, connection pools), not counted.
    for (const gateway of gateways) {
      for (const scenario of scenarios) await load(specFor(scenario, gateway.url, 2));
    }
    const totals = new Map<string, { cpuMs: number; requests: number; failed: number }>();
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? gateways : [...gateways].reverse();
      for (const scenario of scenarios) {
        for (const gateway of order) {
          const source = [processSource(gateway.name, () => gateway.process.pid)];
          const before = await snapshot(source);
          const result = await load(specFor(scenario, gateway.url, seconds));
          const cpuMs = [...cpuSpent(before, await snapshot(source)).values()].reduce(
            (sum, ms) => sum + ms,
            0,
          );
          const failed =
            Object.entries(result.statuses)
              .filter(([code]) => !code.startsWith('2'))
              .reduce((sum, [, count]) => sum + count, 0) + result.errors;
          const key = `${scenario}\u0000${gateway.name}`;
          const total = totals.get(key) ?? { cpuMs: 0, requests: 0, failed: 0 };
          totals.set(key, {
            cpuMs: total.cpuMs + cpuMs,
            requests: total.requests + result.requests,
            failed: total.failed + failed,
          });
          process.stdout.write(
            `round ${round + 1} ${scenario.padEnd(8)} ${gateway.name}: ${result.rate.toFixed(0)}/s, ${(cpuMs / result.requests).toFixed(3)} ms CPU per request\n`,
          );
        }
      }
    }
    process.stdout.write('\ngateway CPU ms per completed request, all rounds\n');
    for (const scenario of scenarios) {
      const perRequest = gateways.map((gateway) => {
        const total = totals.get(`${scenario}\u0000${gateway.name}`)!;
        process.stdout.write(
          `  ${scenario.padEnd(8)} ${gateway.name}: ${(total.cpuMs / total.requests).toFixed(3)} ms (${total.requests} requests, ${total.failed} not 2xx)\n`,
        );
        return total.cpuMs / total.requests;
      });
      if (perRequest.length === 2) {
        process.stdout.write(
          `  ${scenario.padEnd(8)} this checkout / the other: ${(perRequest[0]! / perRequest[1]!).toFixed(2)}\n`,
        );
      }
    }
  } finally {
    await Promise.all(
      gateways.map(
        (gateway) =>
          new Promise((resolvePromise) => {
            gateway.process.once('exit', resolvePromise);
            gateway.process.kill('SIGTERM');
          }),
      ),
    );
    standIn.close();
    await redis.cleanup();
    loadGenerator.kill();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
