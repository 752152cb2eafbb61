import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyWebhookSignature } from '@expe/sdk';
import { scratchDirPerFile } from '@expe/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  merchantPerFile,
  onboardMerchant,
  platformPerFile,
  secondProjectOf,
} from '../../../test/support/test-platform.js';
import { startWebhookReceiver } from '../../../test/support/webhook-receiver.js';
import { runExpe, startExpe } from './cli-process.js';

const t = platformPerFile();
const merchant = merchantPerFile(t, 'cli');
const config = scratchDirPerFile('expe-cli-');
let configHome: string;
let env: Record<string, string>;

beforeAll(async () => {
  configHome = config.path;
  env = { XDG_CONFIG_HOME: configHome };
  const login = await runExpe(
    ['login', '--api-key', merchant.key.secret, '--api-base', t.url],
    env,
  );
  if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
});

const paidWith = (card: string) => ({
  method: 'card',
  card: { number: card, exp_month: 12, exp_year: 2034, cvc: '123' },
});

describe('expe login', () => {
  it('when a valid key is given, then it is saved under XDG_CONFIG_HOME readable by the owner only', async () => {
    const path = join(configHome, 'expe', 'config.json');

    const saved = JSON.parse(await readFile(path, 'utf8'));

    expect(saved).toEqual({ api_key: merchant.key.secret, api_base: t.url });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('when the key is wrong, then it exits non-zero with the API error and saves nothing', async () => {
    const home = await mkdtemp(join(tmpdir(), 'expe-cli-bad-'));

    const result = await runExpe(
      [
        'login',
        '--api-key',
        'sk_test_thisKeyDoesNotExist0123456789',
        '--api-base',
        t.url,
        '--json',
      ],
      { XDG_CONFIG_HOME: home },
    );

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      error: { type: 'authentication_error', status: 401 },
    });
    await expect(stat(join(home, 'expe', 'config.json'))).rejects.toThrow();
    await rm(home, { recursive: true, force: true });
  });
});

describe('expe listen', () => {
  it("when a payment succeeds, then the event is forwarded to the local URL signed with the stable secret, a line reports status and latency, and another project's payment of the same merchant is not forwarded", async () => {
    const otherProject = await secondProjectOf(t, merchant, 'cli listen other project');
    const receiver = await startWebhookReceiver();
    const printed = await runExpe(['listen', '--print-secret', '--json'], env);
    const { secret } = JSON.parse(printed.stdout);
    const envFile = join(configHome, 'app.env');
    await writeFile(envFile, 'PORT=3000\n');
    const listener = startExpe(
      [
        'listen',
        '--forward-to',
        receiver.url,
        '--events',
        'payment.succeeded',
        '--env-file',
        envFile,
        '--json',
      ],
      env,
    );
    try {
      const ready = JSON.parse(await listener.waitForLine((l) => l.includes('"ready"'), 45_000));
      // First a payment of the merchant's other project: its events are published first.
      const elsewhere = await t.api('POST', '/v1/payments', {
        token: otherProject.secret,
        body: { amount: 1990, currency: 'inr', description: 'other project' },
      });
      await t.api('POST', `/v1/payments/${elsewhere.body.id}/confirm`, {
        body: { client_secret: elsewhere.body.client_secret, ...paidWith('4242424242424242') },
      });
      const payment = await t.api('POST', '/v1/payments', {
        token: merchant.key.secret,
        body: { amount: 4990, currency: 'inr', description: 'listen test' },
      });
      await t.api('POST', `/v1/payments/${payment.body.id}/confirm`, {
        body: { client_secret: payment.body.client_secret, ...paidWith('4242424242424242') },
      });

      await receiver.waitFor((all) => all.length >= 1, 20_000);
      const line = JSON.parse(await listener.waitForLine((l) => l.includes('"delivery"')));

      const [delivery] = receiver.received;
      const event = verifyWebhookSignature(
        delivery!.rawBody,
        String(delivery!.headers['expe-signature']),
        secret,
      );
      expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
      expect(ready).toMatchObject({ secret, project_id: merchant.project.id, mode: 'test' });
      expect(event).toMatchObject({
        type: 'payment.succeeded',
        data: { object: { id: payment.body.id, status: 'succeeded' } },
      });
      // --events: payment.created of the same payment was not forwarded; nor was anything of
      // the other project.
      expect(receiver.received.map((r) => r.event.type)).toEqual(['payment.succeeded']);
      expect(line).toMatchObject({
        type: 'delivery',
        event: { id: event.id, type: 'payment.succeeded' },
        status: 200,
      });
      expect(line.latency_ms).toBeGreaterThanOrEqual(0);
      expect(await readFile(envFile, 'utf8')).toBe(`PORT=3000\nEXPE_WEBHOOK_SECRET=${secret}\n`);
    } finally {
      expect(await listener.stop()).toBe(0);
      await receiver.close();
    }
  });

  it('when listen is restarted with the same key, then the secret is the same (also in a new --env-file); another key gets another', async () => {
    const other = await onboardMerchant(t, 'cli-other');

    const envFile = join(configHome, `fresh-${Date.now()}.env`);
    const first = await runExpe(['listen', '--print-secret'], env);
    const second = await runExpe(['listen', '--print-secret'], env);
    const otherKey = await runExpe(
      ['listen', '--print-secret', '--api-key', other.key.secret],
      env,
    );

    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(otherKey.stdout.trim()).toMatch(/^whsec_/);
    expect(otherKey.stdout).not.toBe(first.stdout);
    // --env-file with --print-secret writes a file that did not exist, then exits.
    const written = await runExpe(['listen', '--env-file', envFile, '--print-secret'], env);
    expect(written.code).toBe(0);
    expect(await readFile(envFile, 'utf8')).toBe(`EXPE_WEBHOOK_SECRET=${first.stdout.trim()}\n`);
  });
});

describe('expe trigger', () => {
  it('when payment.succeeded is triggered, then a real payment succeeds and its event is in the log', async () => {
    const result = await runExpe(['trigger', 'payment.succeeded', '--json'], env);

    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output).toMatchObject({
      event: 'payment.succeeded',
      objects: [{ object: 'payment', status: 'succeeded' }],
    });
    const events = await t.api('GET', '/v1/events?type=payment.succeeded', {
      token: merchant.key.secret,
    });
    expect(events.body.data.map((e: any) => e.data.object.id)).toContain(output.objects[0].id);
  });

  it('when payment.failed and refund.succeeded are triggered, then the payment is declined and the refund succeeds', async () => {
    const failed = await runExpe(['trigger', 'payment.failed', '--json'], env);
    const refunded = await runExpe(['trigger', 'refund.succeeded', '--json'], env);

    expect(failed.code).toBe(0);
    const payment = JSON.parse(failed.stdout).objects[0];
    const stored = await t.api('GET', `/v1/payments/${payment.id}`, { token: merchant.key.secret });
    expect(stored.body.last_payment_error).toMatchObject({ code: 'card_declined' });
    expect(refunded.code).toBe(0);
    expect(JSON.parse(refunded.stdout).objects[1]).toMatchObject({
      object: 'refund',
      status: 'succeeded',
    });
  });

  it('when transfer.completed is triggered, then a real transfer completes between two sandbox users', async () => {
    const result = await runExpe(['trigger', 'transfer.completed', '--json'], env);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).objects[0]).toMatchObject({
      object: 'transfer',
      status: 'completed',
    });
  });

  it('when dispute.created and dispute.closed are triggered, then real disputes open and the second is closed lost', async () => {
    const created = await runExpe(['trigger', 'dispute.created', '--json'], env);
    const closed = await runExpe(['trigger', 'dispute.closed', '--json'], env);

    expect(created.code).toBe(0);
    const [payment, dispute] = JSON.parse(created.stdout).objects;
    expect(payment).toMatchObject({ object: 'payment', status: 'succeeded' });
    expect(dispute).toMatchObject({ object: 'dispute', status: 'needs_response' });
    const stored = await t.api('GET', `/v1/disputes/${dispute.id}`, { token: merchant.key.secret });
    expect(stored.body).toMatchObject({ payment: payment.id, status: 'needs_response' });
    const events = await t.api('GET', '/v1/events?type=dispute.created', {
      token: merchant.key.secret,
    });
    expect(events.body.data.map((e: any) => e.data.object.id)).toContain(dispute.id);
    expect(closed.code).toBe(0);
    const closedDispute = JSON.parse(closed.stdout).objects[1];
    expect(closedDispute).toMatchObject({ object: 'dispute', status: 'lost' });
    const closedEvents = await t.api('GET', '/v1/events?type=dispute.closed', {
      token: merchant.key.secret,
    });
    expect(closedEvents.body.data.map((e: any) => e.data.object.id)).toContain(closedDispute.id);
  });

  it('when payout.paid and payout.failed are triggered, then the test clock makes funds available and real payouts are paid and failed', async () => {
    // A merchant of its own: the trigger moves its project's test clock.
    const payer = await onboardMerchant(t, 'cli-payout');
    const home = await mkdtemp(join(tmpdir(), 'expe-cli-payout-'));
    const payerEnv = { XDG_CONFIG_HOME: home };
    try {
      await runExpe(['login', '--api-key', payer.key.secret, '--api-base', t.url], payerEnv);
      const clockBefore = await t.api('GET', '/v1/test_helpers/clock', { token: payer.key.secret });

      const paid = await runExpe(['trigger', 'payout.paid', '--json'], payerEnv);
      const failed = await runExpe(['trigger', 'payout.failed', '--json'], payerEnv);

      expect(paid.code).toBe(0);
      const output = JSON.parse(paid.stdout);
      expect(output).toMatchObject({
        event: 'payout.paid',
        objects: [
          { object: 'payment', status: 'succeeded' },
          { object: 'payout', status: 'paid' },
        ],
        note: expect.stringContaining('test clock 2 days'),
      });
      const payout = await t.api('GET', `/v1/payouts/${output.objects[1].id}`, {
        token: payer.key.secret,
      });
      expect(payout.body).toMatchObject({ status: 'paid', destination: { vpa: 'success@expe' } });
      const clockAfter = await t.api('GET', '/v1/test_helpers/clock', { token: payer.key.secret });
      expect(clockAfter.body.now - clockBefore.body.now).toBeGreaterThanOrEqual(2 * 2 * 86400);
      const events = await t.api('GET', '/v1/events?type=payout.paid', {
        token: payer.key.secret,
      });
      expect(events.body.data.map((e: any) => e.data.object.id)).toEqual([output.objects[1].id]);
      expect(failed.code).toBe(0);
      expect(JSON.parse(failed.stdout).objects[1]).toMatchObject({
        object: 'payout',
        status: 'failed',
      });
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('when an unknown event is triggered, then it exits with a usage error naming the triggerable ones', async () => {
    const result = await runExpe(['trigger', 'payment.exploded'], env);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown event payment.exploded');
    expect(result.stderr).toContain('payout.paid');
  });
});

describe('expe payments and events', () => {
  it('when a payment is created, fetched and listed with --json, then each prints the API object', async () => {
    const created = await runExpe(
      [
        'payments',
        'create',
        '--amount',
        '12300',
        '--description',
        'cli',
        '--metadata',
        'order=42',
        '--json',
      ],
      env,
    );
    const payment = JSON.parse(created.stdout);
    const fetched = await runExpe(['payments', 'get', payment.id, '--json'], env);
    const listed = await runExpe(['payments', 'list', '--limit', '100', '--json'], env);
    const events = await runExpe(['events', 'list', '--type', 'payment.created', '--json'], env);

    expect(created.code).toBe(0);
    expect(payment).toMatchObject({
      object: 'payment',
      amount: 12300,
      description: 'cli',
      metadata: { order: '42' },
    });
    expect(JSON.parse(fetched.stdout)).toEqual(payment);
    expect(JSON.parse(listed.stdout).data.map((p: any) => p.id)).toContain(payment.id);
    expect(JSON.parse(events.stdout).data.map((e: any) => e.data.object.id)).toContain(payment.id);
  });

  it('when a payment does not exist, then it exits 1 with the error type, code and request id', async () => {
    const result = await runExpe(['payments', 'get', 'pay_0000000000nothere', '--json'], env);

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).error).toMatchObject({
      type: 'invalid_request_error',
      code: 'resource_missing',
      request_id: expect.any(String),
    });
  });

  it('when an event is resent, then each matching webhook endpoint gets a new delivery', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const endpoint = await t.api('POST', '/v1/webhook_endpoints', {
        token: merchant.key.secret,
        body: { url: receiver.url, enabled_events: ['payment.canceled'] },
      });
      const triggered = await runExpe(['trigger', 'payment.canceled', '--json'], env);
      const paymentId = JSON.parse(triggered.stdout).objects[0].id;
      await receiver.waitFor((all) => all.some((r) => r.event.data.object.id === paymentId));
      const event = receiver.received.find((r) => r.event.data.object.id === paymentId)!.event;

      const result = await runExpe(['events', 'resend', event.id, '--json'], env);

      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).data).toEqual([
        expect.objectContaining({ endpoint: endpoint.body.id }),
      ]);
      await receiver.waitFor((all) => all.filter((r) => r.event.id === event.id).length === 2);
    } finally {
      await receiver.close();
    }
  });
});

describe('expe logs tail', () => {
  it('when the key makes requests, then tail prints each with method, path, status, latency and request id, and never a body or key', async () => {
    const other = await onboardMerchant(t, 'cli-logs-other');
    const otherProject = await secondProjectOf(t, merchant, 'cli logs other project');
    const tail = startExpe(['logs', 'tail', '--json'], env);
    try {
      // Ready once the first poll's cursor is set: a request made now is newer than it.
      await new Promise<void>((resolve, reject) => {
        tail.child.stderr!.on('data', () => resolve());
        tail.child.once('close', () => reject(new Error(tail.stderr())));
      });
      const created = await t.api('POST', '/v1/payments', {
        token: merchant.key.secret,
        body: { amount: 31337, currency: 'inr', description: 'logs-secret-description' },
      });
      const missing = await t.api('GET', '/v1/payments/pay_0000000000nothere', {
        token: merchant.key.secret,
      });
      const filtered = await t.api('GET', '/v1/payments?status=canceled&limit=3', {
        token: merchant.key.secret,
      });

      const createdLine = await tail.waitForLine((l) =>
        l.includes(created.headers.get('request-id')!),
      );
      const missingLine = await tail.waitForLine((l) =>
        l.includes(missing.headers.get('request-id')!),
      );

      expect(JSON.parse(createdLine)).toEqual({
        id: created.headers.get('request-id'),
        object: 'request_log',
        method: 'POST',
        path: '/v1/payments',
        status: 201,
        latency_ms: expect.any(Number),
        key_id: merchant.key.id,
        livemode: false,
        created: expect.any(Number),
      });
      const filteredLine = await tail.waitForLine((l) =>
        l.includes(filtered.headers.get('request-id')!),
      );
      const everything = tail.lines.join('\n');
      expect(JSON.parse(missingLine)).toMatchObject({
        path: '/v1/payments/pay_0000000000nothere',
        status: 404,
      });
      expect(everything).not.toContain('31337');
      expect(everything).not.toContain('logs-secret-description');
      expect(everything).not.toContain(merchant.key.secret);
      expect(JSON.parse(filteredLine)).toMatchObject({ path: '/v1/payments', status: 200 });
      expect(everything).not.toContain('status=canceled');
      // Neither another merchant's log nor the log of this merchant's other project has these
      // requests (they were logged: tail printed them).
      for (const token of [other.key.secret, otherProject.secret]) {
        const theirs = await t.api('GET', '/v1/request_logs?limit=100', { token });
        expect(theirs.status).toBe(200);
        expect(theirs.body.data.map((e: any) => e.id)).not.toContain(
          created.headers.get('request-id'),
        );
      }
    } finally {
      expect(await tail.stop()).toBe(0);
    }
  });

  it('when the request log is read with a publishable key, then it is refused', async () => {
    const result = await t.api('GET', '/v1/request_logs', { token: merchant.key.publishable });

    expect(result.status).toBe(403);
    expect(result.body.error.code).toBe('secret_key_required');
  });
});

describe('expe usage', () => {
  it('when a command or a required option is missing, then it exits 2 with the usage; --help exits 0', async () => {
    const unknown = await runExpe(['frobnicate'], env);
    const missing = await runExpe(['payments', 'create'], env);
    const help = await runExpe(['--help'], env);

    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--amount');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('listen');
  });

  it('when no key was saved or given, then it exits non-zero and says how to log in', async () => {
    const home = await mkdtemp(join(tmpdir(), 'expe-cli-empty-'));

    const result = await runExpe(['payments', 'list'], { XDG_CONFIG_HOME: home });

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('expe login --api-key');
    await rm(home, { recursive: true, force: true });
  });
});
