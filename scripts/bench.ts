// `npm run bench`: measures the platform on this machine and prints every number beside the
// comparison it is held against. Same real PostgreSQL and Redis as the tests.
//
// 1. P2P transfers through the gateway (POST /v1/wallet/transfers, unique Idempotency-Keys):
//    a uniform mix (random sender and receiver among many wallets) and a hot-wallet mix (half of
//    all transfers touch one wallet). Held against pgbench's built-in tpcb-like TPS on the same
//    PostgreSQL server in the same run: target ratio ≥ 0.5 with p99 < 50 ms.
// 2. An authenticated read through the gateway (GET /v1/account) against the same call made
//    straight to the merchants service: the gateway's own cost; target ratio ≥ 0.5.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import type { SessionResource } from '@expe/contracts';
import pg from 'pg';
import { identityHeader, signIdentity } from '@expe/server-kit';
import { testPostgresUrl, testSecrets } from '@expe/testing';
import {
  onboardMerchant,
  startTestPlatform,
  uniqueEmail,
  type TestPlatform,
} from '../test/support/test-platform.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const wallets = Number(process.env.BENCH_WALLETS ?? 40);

interface Result {
  title: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

function line(r: Result): string {
  return `${r.title.padEnd(58)} ${r.rps.toFixed(0).padStart(7)}/s  p50 ${String(r.p50).padStart(3)} ms  p99 ${String(r.p99).padStart(4)} ms  non-2xx ${r.non2xx}  errors ${r.errors}`;
}

async function load(title: string, options: autocannon.Options): Promise<Result> {
  const result = await autocannon({ connections, duration: seconds, ...options });
  return {
    title,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function createWallets(t: TestPlatform, count: number) {
  const users = [];
  for (let i = 0; i < count; i++) {
    const register = await t.api<SessionResource>('POST', '/v1/auth/register', {
      body: {
        email: uniqueEmail(`bench${i}`),
        password: 'correct horse battery',
        name: `Bench ${i}`,
        role: 'user',
      },
    });
    const token = register.body.access_token;
    // Enough money that no transfer of the run is refused for funds.
    const topup = await t.api('POST', '/v1/wallet/topup', { token, body: { amount: 5_000_000 } });
    if (topup.status !== 201) throw new Error(`top-up failed: ${topup.text}`);
    users.push({ token, vpa: register.body.user.vpa });
  }
  return users;
}

function transfers(t: TestPlatform, users: { token: string; vpa: string }[], hot: boolean) {
  const pick = () => Math.floor(Math.random() * users.length);
  return load(hot ? 'P2P transfers, hot wallet (half touch wallet 0)' : 'P2P transfers, uniform', {
    url: `${t.url}/v1/wallet/transfers`,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          let from = pick();
          let to = pick();
          if (hot && Math.random() < 0.5) {
            if (Math.random() < 0.5) from = 0;
            else to = 0;
          }
          if (from === to) to = (to + 1) % users.length;
          return {
            ...request,
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${users[from]!.token}`,
              'idempotency-key': randomUUID(),
            },
            body: JSON.stringify({ to: users[to]!.vpa, amount: 100 }),
          };
        },
      },
    ],
  });
}

function pgbench(): { tps: number; latencyMs: number } {
  const base = new URL(testPostgresUrl);
  const database = 'expe_bench_pgbench';
  const args = ['-h', base.hostname, '-p', base.port || '5432', '-U', base.username || 'postgres'];
  const admin = (sql: string) =>
    execFileSync('psql', [...args, '-d', 'postgres', '-qAtc', sql], { stdio: 'pipe' });
  admin(`drop database if exists ${database}`);
  admin(`create database ${database}`);
  try {
    execFileSync('pgbench', [...args, '-i', '-q', '-s', '1', database], { stdio: 'pipe' });
    const out = execFileSync(
      'pgbench',
      [
        ...args,
        '-c',
        String(connections),
        '-j',
        '2',
        '-T',
        String(seconds),
        '-b',
        'tpcb-like',
        database,
      ],
      { stdio: 'pipe' },
    ).toString();
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
    const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1]);
    return { tps, latencyMs };
  } finally {
    admin(`drop database if exists ${database} with (force)`);
  }
}

const t = await startTestPlatform({
  LOG_LEVEL: 'silent',
  RATE_LIMIT_PER_KEY: '1000000',
  RATE_LIMIT_PER_IP: '1000000',
  WALLET_TOPUP_DAILY_LIMIT: '1000000000000',
  // Production-size pools (the test harness uses small ones to share one server).
  DATABASE_POOL_SIZE: '10',
});
const out: string[] = [];
try {
  const users = await createWallets(t, wallets);
  const uniform = await transfers(t, users, false);
  const hot = await transfers(t, users, true);

  const { key, token } = await onboardMerchant(t, 'bench');
  const me = await t.api<{ id: string }>('GET', '/v1/merchants/me', { token });
  const viaGateway = await load('GET /v1/account through the gateway (sk_test key)', {
    url: `${t.url}/v1/account`,
    headers: { authorization: `Bearer ${key.secret}` },
  });
  const principal = {
    kind: 'api_key' as const,
    keyId: key.id,
    keyType: 'secret' as const,
    merchantId: me.body.id,
    projectId: key.project,
    mode: 'test' as const,
  };
  const direct = await load('GET /v1/account straight to merchants (no gateway)', {
    url: `${t.platform.services.merchants!.url}/v1/account`,
    headers: {
      [identityHeader]: signIdentity(testSecrets.internalAuth, principal, { ttlSeconds: 3600 }),
    },
  });

  const pool = new pg.Pool({ connectionString: t.databaseUrl });
  const reconciliation = await pool.query<{ total: string }>(
    'select coalesce(sum(amount), 0)::text as total from payments.ledger_entries',
  );
  await pool.end();

  const baseline = pgbench();
  const ratio = (r: Result) => r.rps / baseline.tps;
  const verdict = (r: Result) =>
    ratio(r) >= 0.5 && r.p99 < 50
      ? 'met'
      : `NOT met (${ratio(r) < 0.5 ? 'ratio' : ''}${ratio(r) < 0.5 && r.p99 >= 50 ? ', ' : ''}${r.p99 >= 50 ? 'p99' : ''})`;
  out.push(
    '',
    `Expe bench — ${connections} connections, ${seconds} s per run, ${wallets} wallets, Node ${process.version}, ${execFileSync('nproc').toString().trim()} cores`,
    '',
    line(uniform),
    line(hot),
    `pgbench tpcb-like, same server, ${connections} clients`.padEnd(58) +
      ` ${baseline.tps.toFixed(0).padStart(7)}/s  avg ${baseline.latencyMs.toFixed(1)} ms`,
    `uniform / pgbench = ${ratio(uniform).toFixed(2)}   target ≥ 0.50 with p99 < 50 ms: ${verdict(uniform)}`,
    `hot     / pgbench = ${ratio(hot).toFixed(2)}   target ≥ 0.50 with p99 < 50 ms: ${verdict(hot)}`,
    `ledger sum after the runs: ${reconciliation.rows[0]?.total} (must be 0)`,
    '',
    line(viaGateway),
    line(direct),
    `gateway / direct = ${(viaGateway.rps / direct.rps).toFixed(2)}   target ≥ 0.50: ${viaGateway.rps / direct.rps >= 0.5 ? 'met' : 'NOT met'}`,
    '',
  );
  process.stdout.write(out.join('\n'));
} finally {
  await t.close();
}
