import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExpe } from './cli-process.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const secret = 'whsec_checkTheReceiverWithThisSecret0001';

interface Receiver {
  child: ChildProcess;
  url: string;
  processedUrl: string;
}

/** One of examples/webhook-receivers, run as a reader would run it, on a free port. */
async function startReceiver(file: string, env: Record<string, string> = {}): Promise<Receiver> {
  const child = spawn(
    process.execPath,
    ['--conditions=@expe/source', '--import', 'tsx', `examples/webhook-receivers/${file}`],
    { cwd: repoRoot, env: { ...process.env, PORT: '0', EXPE_WEBHOOK_SECRET: secret, ...env } },
  );
  const lines = createInterface({ input: child.stdout });
  const [line] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`${file} exited with ${code}`);
    }),
  ])) as [string];
  const url = /(http:\/\/\S+\/webhooks)/.exec(line)![1]!;
  return { child, url, processedUrl: url.replace(/\/webhooks$/, '/processed') };
}

const receivers: Receiver[] = [];
let correct: Receiver;
let incorrect: Receiver;
let correctStripe: Receiver;

beforeAll(async () => {
  correct = await startReceiver('correct-receiver.mjs');
  incorrect = await startReceiver('incorrect-receiver.mjs');
  correctStripe = await startReceiver('correct-receiver.mjs', { WEBHOOK_FORMAT: 'stripe' });
  receivers.push(correct, incorrect, correctStripe);
});

afterAll(() => {
  for (const receiver of receivers) receiver.child.kill();
});

const check = (receiver: Receiver, extra: string[] = []) =>
  runExpe(
    [
      'webhooks',
      'check',
      '--forward-to',
      receiver.url,
      '--secret',
      secret,
      '--processed-url',
      receiver.processedUrl,
      '--json',
      ...extra,
    ],
    {},
  );

const verdicts = (stdout: string) =>
  Object.fromEntries(
    (JSON.parse(stdout).cases as { case: string; passed: boolean }[]).map((c) => [
      c.case,
      c.passed,
    ]),
  );

const allCases = [
  'valid_signature',
  'bad_signature',
  'stale_timestamp',
  'duplicate_event',
  'large_payload',
  'unknown_event_type',
  'out_of_order',
];

describe('expe webhooks check', () => {
  it('when the receiver verifies signatures and dedupes (the correct example), then every case passes and it exits 0', async () => {
    const result = await check(correct);

    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ object: 'webhook_check', format: 'expe', passed: true });
    expect(verdicts(result.stdout)).toEqual(Object.fromEntries(allCases.map((c) => [c, true])));
    const statuses = Object.fromEntries(
      (report.cases as { case: string; statuses: number[] }[]).map((c) => [c.case, c.statuses]),
    );
    expect(statuses).toMatchObject({
      bad_signature: [400],
      stale_timestamp: [400],
      duplicate_event: [200, 200],
    });
  });

  it('when the receiver accepts everything (the incorrect example), then the bad-signature, stale and duplicate cases fail, the table names them and it exits 1', async () => {
    const result = await check(incorrect);

    expect(result.code).toBe(1);
    expect(verdicts(result.stdout)).toEqual({
      valid_signature: true,
      bad_signature: false,
      stale_timestamp: false,
      duplicate_event: false,
      large_payload: true,
      unknown_event_type: true,
      out_of_order: true,
    });
    const human = await runExpe(
      ['webhooks', 'check', '--forward-to', incorrect.url, '--secret', secret],
      {},
    );
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/bad_signature\s+4xx\s+200\s+FAIL/);
    expect(human.stdout).toMatch(/stale_timestamp\s+4xx\s+200\s+FAIL/);
    expect(human.stdout).toContain('2 of 7 cases fail: bad_signature, stale_timestamp.');
    // Without --processed-url the duplicate is judged from the answers only, and says so.
    expect(human.stdout).toContain('cannot be judged from outside');
  });

  it('when the format is stripe, then the deliveries carry Stripe-Signature over Stripe events: the correct receiver passes, the incorrect one fails', async () => {
    const good = await check(correctStripe, ['--format', 'stripe']);
    const bad = await check(incorrect, ['--format', 'stripe']);

    expect(good.code, good.stdout).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ format: 'stripe', passed: true });
    // The Expe-format receiver finds no Expe-Signature on Stripe deliveries: it refuses them all.
    const mismatched = await check(correct, ['--format', 'stripe']);
    expect(verdicts(mismatched.stdout).valid_signature).toBe(false);
    expect(bad.code).toBe(1);
    expect(verdicts(bad.stdout)).toMatchObject({ bad_signature: false, stale_timestamp: false });
  });

  it('when the receiver does not answer, then every case fails with the connection error', async () => {
    const result = await runExpe(
      [
        'webhooks',
        'check',
        '--forward-to',
        'http://127.0.0.1:1/webhooks',
        '--secret',
        secret,
        '--json',
      ],
      {},
    );

    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.passed).toBe(false);
    expect(
      report.cases.every((c: { passed: boolean; error?: string }) => !c.passed && c.error),
    ).toBe(true);
  });

  it('when no secret is given, then it prints a new whsec_ to configure the receiver with and exits 2 having sent nothing', async () => {
    const result = await runExpe(['webhooks', 'check', '--forward-to', incorrect.url, '--json'], {
      EXPE_WEBHOOK_SECRET: '',
    });

    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      object: 'webhook_secret',
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{32}$/),
    });
  });
});
