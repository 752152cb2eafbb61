import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyWebhookSignature } from '@expe/sdk';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import {
  blockMarker,
  endMarker,
  expectedOutputs,
  extractBlocks,
  outputsByBlock,
} from './support/doc-blocks.js';
import { startNpmStart, type NpmStart } from './support/npm-start.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const card = { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' };

/**
 * A machine with Node.js and npm only, as far as `npm start` can tell: a PATH of just `node` and
 * `npm`, and, in a mount namespace of its own, an empty /usr/lib/postgresql over Debian's
 * PostgreSQL server binaries (where npm start looks when they are not on PATH).
 */
function nodeOnlyMachine(scratch: string): { env: Record<string, string>; launcher: string[] } {
  const bin = join(scratch, 'bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  symlinkSync('/usr/lib/node_modules/npm/bin/npm-cli.js', join(bin, 'npm'));
  const hidePostgres =
    'if [ -d /usr/lib/postgresql ]; then /usr/bin/mount -t tmpfs tmpfs /usr/lib/postgresql || exit 1; fi; exec "$@"';
  const isRoot = process.getuid?.() === 0;
  return {
    env: { PATH: bin },
    launcher: [
      '/usr/bin/unshare',
      ...(isRoot ? [] : ['--user', '--map-root-user']),
      '--mount',
      '/bin/sh',
      '-c',
      hidePostgres,
      'sh',
    ],
  };
}

/** The README's shell blocks, in order, in one bash session (as a reader types them). */
async function walkReadme(platform: NpmStart, dir: string) {
  const blocks = extractBlocks(repoRoot, 'README.md').filter(
    (block) => !block.notRun && (block.lang === 'sh' || block.lang === 'bash'),
  );
  const script = ['set -euo pipefail', 'curl() { command curl --fail-with-body "$@"; }'];
  for (const block of blocks) {
    script.push(blockMarker(block));
    script.push(block.code.replaceAll('http://127.0.0.1:4000', platform.url));
  }
  // What the walk-through leaves in the reader's shell, for the checks after it.
  script.push(endMarker, 'echo "secret=$SECRET"');
  writeFileSync(join(dir, 'walk.sh'), script.join('\n') + '\n');
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('bash', ['-c', 'bash walk.sh > walk.log 2>&1'], {
      cwd: dir,
      stdio: 'ignore',
    });
    child.on('error', reject);
    child.on('close', resolve);
  });
  const log = await readFile(join(dir, 'walk.log'), 'utf8');
  const { outputs } = outputsByBlock(log);
  return {
    code,
    log,
    blocks,
    outputs,
    secret: /^secret=(\S+)$/m.exec(log)?.[1] ?? '',
  };
}

async function api(
  platform: NpmStart,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
) {
  const response = await fetch(`${platform.url}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body ? { 'content-type': 'application/json' } : {}),
    },
    ...(options.body ? { body: JSON.stringify(options.body) } : {}),
  });
  // The fields this test reads are strings (ids, secrets); a missing one fails the assertion.
  const body = (await response.json()) as { id: string; client_secret: string; secret: string };
  return { status: response.status, headers: response.headers, body };
}

describe('npm start on a machine with only Node.js and npm', () => {
  it('when neither redis-server nor PostgreSQL is installed, then npm start brings the whole platform up in one process with its parts embedded, says so, and the README walk-through, a signed webhook delivery and a WebSocket event work against it; the account is still there after a restart', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'expe-embedded-'));
    const stateDir = join(scratch, 'state');
    const machine = nodeOnlyMachine(scratch);
    const receiver = await startWebhookReceiver();
    let platform: NpmStart | undefined;
    try {
      platform = await startNpmStart(stateDir, machine.env, 420_000, machine.launcher);
      const output = platform.output();
      expect(output).toContain('PostgreSQL server binaries not found');
      expect(output).toContain(`embedded PostgreSQL (PGlite) in ${join(stateDir, 'pgdata')}`);
      expect(output).toMatch(
        /redis {6}embedded: the job queues, caches, rate limits and pub\/sub run inside this process/,
      );
      expect(output).toMatch(/services {3}all in this process: /);
      expect(output).toMatch(
        /embedded {3}PostgreSQL \(PGlite, data in .*\); Redis \(in memory: starts empty each time\)/,
      );
      expect(output).not.toContain('started redis-server');
      expect((await fetch(`${platform.url}/readyz`)).status).toBe(200);

      // The README, block by block, as a reader with curl and jq runs it.
      const walk = await walkReadme(platform, scratch);
      expect(walk.code, walk.log).toBe(0);
      expect(walk.blocks.length).toBeGreaterThanOrEqual(2);
      for (const block of walk.blocks) {
        for (const pattern of expectedOutputs(block)) {
          expect(walk.outputs.get(block.line) ?? '', `README.md:${block.line}`).toMatch(pattern);
        }
      }
      expect(walk.secret).toMatch(/^sk_test_/);

      // Rate limits run (the sliding-window script, in process): every answer counts down.
      const account = await fetch(`${platform.url}/v1/account`, {
        headers: { authorization: `Bearer ${walk.secret}` },
      });
      expect(account.status).toBe(200);
      expect(Number(account.headers.get('ratelimit-remaining'))).toBeGreaterThan(0);

      // The queues (outbox → fan-out → delivery) and pub/sub (→ WebSocket), in process.
      const endpoint = await api(platform, 'POST', '/v1/webhook_endpoints', {
        token: walk.secret,
        body: { url: receiver.url, enabled_events: ['payment.succeeded'] },
      });
      expect(endpoint.status).toBe(201);
      const ws = new WebSocket(`${platform.url.replace('http', 'ws')}/v1/ws`);
      const messages: {
        type: string;
        event?: { type: string; data: { object: { id: string } } };
      }[] = [];
      ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8'))));
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      ws.send(JSON.stringify({ type: 'subscribe', channel: 'merchant', token: walk.secret }));
      await waitUntil(() => messages.some((message) => message.type === 'subscribed'));

      const payment = await api(platform, 'POST', '/v1/payments', {
        token: walk.secret,
        body: { amount: 2_500, currency: 'inr' },
      });
      expect(payment.status).toBe(201);
      const confirm = await api(platform, 'POST', `/v1/payments/${payment.body.id}/confirm`, {
        body: { client_secret: payment.body.client_secret, method: 'card', card },
      });
      expect(confirm.status).toBe(200);

      // The README's own payment may succeed in the endpoint's second and be delivered too:
      // this test's delivery is the one of its payment.
      const ours = (r: (typeof receiver.received)[number]) =>
        r.event.type === 'payment.succeeded' && r.event.data.object.id === payment.body.id;
      await receiver.waitFor((all) => all.some(ours));
      const delivery = receiver.received.find(ours)!;
      expect(delivery.event.data.object).toMatchObject({ id: payment.body.id, amount: 2_500 });
      const signature = String(delivery.headers['expe-signature']);
      expect(verifyWebhookSignature(delivery.rawBody, signature, endpoint.body.secret).id).toBe(
        delivery.event.id,
      );
      await waitUntil(() =>
        messages.some(
          (message) =>
            message.type === 'event' &&
            message.event?.type === 'payment.succeeded' &&
            message.event.data.object.id === payment.body.id,
        ),
      );
      ws.close();

      expect(await platform.stop()).toBe(0);
      expect(platform.output()).not.toMatch(/failed to start|exited unexpectedly/);

      // Data in .expe/: the account made in the walk-through signs in after a restart.
      platform = await startNpmStart(stateDir, machine.env, 420_000, machine.launcher);
      const login = await api(platform, 'POST', '/v1/auth/login', {
        body: { email: 'asha@example.com', password: 'correct horse battery' },
      });
      expect(login.status).toBe(200);
      expect(await platform.stop()).toBe(0);
    } finally {
      await platform?.stop();
      await receiver.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 900_000);
});

async function waitUntil(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
