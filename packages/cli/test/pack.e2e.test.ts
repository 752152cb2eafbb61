import { execFile } from 'node:child_process';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { verifyWebhookSignature } from '@expe/sdk';
import { scratchDirPerFile } from '@expe/testing';
import { describe, expect, it } from 'vitest';
import { merchantPerFile, platformPerFile } from '../../../test/support/test-platform.js';
import { startWebhookReceiver } from '../../../test/support/webhook-receiver.js';
import { runExpe, startExpe } from './cli-process.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const t = platformPerFile();
const merchant = merchantPerFile(t, 'cli-pack');
const scratch = scratchDirPerFile('expe-cli-pack-');

describe('expe in the repository', () => {
  it('when npx expe runs right after npm ci, then it is the package bin running the source, with no build', async () => {
    const { stdout } = await run('npx', ['--no-install', 'expe', '--help'], { cwd: repoRoot });

    expect(stdout).toContain('Usage: expe');
    expect(stdout).toContain('trigger <event>');
  });
});

describe('npm pack of @expe/cli', () => {
  it('when the tarball is installed globally outside the repository, then expe logs in, creates a payment, applies a scenario and forwards a triggered event signed with its secret', async () => {
    // No build before: `prepack` bundles the CLI, as it does right after `npm ci`.
    const { stdout: packed } = await run(
      'npm',
      ['pack', '-w', '@expe/cli', '--json', '--pack-destination', scratch.path],
      { cwd: repoRoot },
    );
    const [{ filename, files }] = JSON.parse(packed) as [
      { filename: string; files: Array<{ path: string }> },
    ];
    const prefix = join(scratch.path, 'global');
    const home = join(scratch.path, 'home');
    await mkdir(home);
    await run(
      'npm',
      [
        'install',
        '-g',
        join(scratch.path, filename),
        '--prefix',
        prefix,
        '--offline',
        '--no-audit',
        '--no-fund',
      ],
      { cwd: scratch.path },
    );
    // What a user has: the installed command, a home of their own, nothing of the repository.
    const bin = join(prefix, 'bin', 'expe');
    const options = { bin, cwd: home };
    const env = { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), NODE_PATH: '' };

    const login = await runExpe(
      ['login', '--api-key', merchant.key.secret, '--api-base', t.url],
      env,
      options,
    );
    // The scenario engine (@expe/scenarios, its YAML reader and zod's mini build) is bundled too.
    const fixtures = await runExpe(
      ['fixtures', 'apply', join(repoRoot, 'examples/scenarios/refund.yaml'), '--json'],
      env,
      options,
    );
    const created = await runExpe(
      ['payments', 'create', '--amount', '1500', '--json'],
      env,
      options,
    );
    const receiver = await startWebhookReceiver();
    const { secret } = JSON.parse(
      (await runExpe(['listen', '--env-file', '.env', '--print-secret', '--json'], env, options))
        .stdout,
    ) as { secret: string };
    const listener = startExpe(
      ['listen', '--forward-to', receiver.url, '--events', 'payment.succeeded', '--json'],
      env,
      options,
    );
    try {
      await listener.waitForLine((line) => line.includes('"ready"'), 45_000);
      const triggered = await runExpe(['trigger', 'payment.succeeded', '--json'], env, options);
      expect(triggered.code, triggered.stderr).toBe(0);
      await receiver.waitFor((all) => all.some((r) => r.event.type === 'payment.succeeded'));
    } finally {
      expect(await listener.stop()).toBe(0);
      await receiver.close();
    }

    expect(files.map((file) => file.path).sort()).toEqual([
      'README.md',
      'bin/expe.js',
      'dist/THIRD_PARTY_LICENSES.txt',
      'dist/expe.js',
      'package.json',
    ]);
    // Everything is in the bundle: the install fetched nothing else.
    expect(await readdir(join(prefix, 'lib', 'node_modules', '@expe', 'cli'))).not.toContain(
      'node_modules',
    );
    // It carries Stripe's names, not the API's schemas: zod's classic build and the OpenAPI
    // registry stay out (they tripled the bundle once, through @expe/stripe-compat →
    // @expe/contracts). The scenario parser uses zod's mini build, ~35 KB of it.
    const bundle = await readFile(
      join(prefix, 'lib', 'node_modules', '@expe', 'cli', 'dist', 'expe.js'),
      'utf8',
    );
    expect(bundle).not.toMatch(
      /node_modules\/(zod\/v4\/classic|zod\/v3|@asteasolutions\/zod-to-openapi)\//,
    );
    // 573 KB with expe fixtures (the scenario engine and js-yaml added ~180 KB).
    expect(Buffer.byteLength(bundle)).toBeLessThan(700_000);
    expect(fixtures.code, fixtures.stderr).toBe(0);
    expect(JSON.parse(fixtures.stdout)).toMatchObject({
      object: 'scenario_application',
      scenario: 'refund',
      project_id: merchant.project.id,
    });
    expect(login.code, login.stderr).toBe(0);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ id: expect.stringMatching(/^pay_/) });
    // `--env-file` is the CLI's option, not node's (Node 20 reads it anywhere on its command line).
    expect(await readFile(join(home, '.env'), 'utf8')).toBe(`EXPE_WEBHOOK_SECRET=${secret}\n`);
    const delivery = receiver.received.find((r) => r.event.type === 'payment.succeeded')!;
    expect(
      verifyWebhookSignature(delivery.rawBody, String(delivery.headers['expe-signature']), secret),
    ).toMatchObject({ type: 'payment.succeeded' });
  }, 180_000);
});
