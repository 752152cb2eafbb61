// `npm run bench`: measures the platform on this machine and prints each number beside the
// comparison it is held against. Uses the same real PostgreSQL and Redis as the tests.
//
// 1. Authenticated API call through the gateway (`GET /v1/account` with a secret key):
//    requests/s and latency, against the same call made straight to the merchants service with
//    a pre-signed identity (no gateway). The ratio is the gateway's cost; target ≥ 0.5.
import autocannon from 'autocannon';
import { identityHeader, signIdentity } from '@expe/server-kit';
import { testSecrets } from '@expe/testing';
import { onboardMerchant, startTestPlatform } from '../test/support/test-platform.js';

const durationSeconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);

async function run(title: string, url: string, headers: Record<string, string>) {
  const result = await autocannon({ title, url, headers, connections, duration: durationSeconds });
  const errors = result.non2xx + result.errors + result.timeouts;
  return {
    title,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors,
  };
}

const t = await startTestPlatform({
  LOG_LEVEL: 'silent',
  RATE_LIMIT_PER_KEY: '1000000',
  RATE_LIMIT_PER_IP: '1000000',
});
try {
  const { key, project, token } = await onboardMerchant(t, 'bench');
  const me = await t.api<{ id: string }>('GET', '/v1/merchants/me', { token });
  const merchants = t.platform.services.merchants!;
  const viaGateway = await run('gateway: GET /v1/account (sk_test key)', `${t.url}/v1/account`, {
    authorization: `Bearer ${key.secret}`,
  });
  const principal = {
    kind: 'api_key' as const,
    keyId: key.id,
    keyType: 'secret' as const,
    merchantId: me.body.id,
    projectId: project.id,
    mode: 'test' as const,
  };
  const direct = await run(
    'direct: merchants service, pre-signed identity',
    `${merchants.url}/v1/account`,
    {
      [identityHeader]: signIdentity(testSecrets.internalAuth, principal, { ttlSeconds: 3600 }),
    },
  );
  const ratio = viaGateway.rps / direct.rps;
  const line = (r: Awaited<ReturnType<typeof run>>) =>
    `${r.title.padEnd(52)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${String(r.p50).padStart(3)} ms  p99 ${String(r.p99).padStart(3)} ms  errors ${r.errors}`;
  process.stdout.write(
    [
      '',
      `Expe bench — ${connections} connections, ${durationSeconds} s each, Node ${process.version}`,
      line(viaGateway),
      line(direct),
      `gateway / direct throughput ratio: ${ratio.toFixed(2)} (target ≥ 0.50: ${ratio >= 0.5 ? 'met' : 'NOT met'})`,
      '',
    ].join('\n'),
  );
} finally {
  await t.close();
}
