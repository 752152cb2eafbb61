import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scratchDirPerFile } from '@expe/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { merchantPerFile, platformPerFile } from '../../../test/support/test-platform.js';
import { runExpe } from './cli-process.js';

const t = platformPerFile();
const merchant = merchantPerFile(t, 'cli-sandbox');
const scratch = scratchDirPerFile('expe-cli-sandbox-');
let home: string;
let env: Record<string, string>;

beforeAll(() => {
  home = scratch.path;
  // No saved key at all: the sandbox commands act as the merchant user, not with a secret key.
  env = {
    XDG_CONFIG_HOME: home,
    EXPE_EMAIL: merchant.email,
    EXPE_PASSWORD: 'correct horse battery',
    EXPE_API_BASE: t.url,
  };
});

const paymentWith = (key: string) =>
  t.api('POST', '/v1/payments', {
    token: key,
    body: { amount: 4990, currency: 'inr', description: 'sandbox check' },
  });

describe('expe sandbox', () => {
  it('when a sandbox is created with --env-file, then its test key works, and after expe sandbox delete reading that file the key answers 401', async () => {
    const envFile = join(home, 'ci.env');
    await writeFile(envFile, 'PORT=3000\nEXPE_API_KEY=sk_test_previous\n');
    const before = Math.floor(Date.now() / 1000);

    const created = await runExpe(
      ['sandbox', 'create', '--ttl', '1h', '--name', 'CI run 42', '--env-file', envFile, '--json'],
      env,
    );

    expect(created.code, created.stderr).toBe(0);
    const sandbox = JSON.parse(created.stdout);
    expect(sandbox).toMatchObject({ object: 'sandbox', name: 'CI run 42', api_base: t.url });
    expect(sandbox.project_id).toMatch(/^prj_/);
    expect(sandbox.secret_key).toMatch(/^sk_test_/);
    expect(sandbox.expires_at).toBeGreaterThanOrEqual(before + 3600);
    expect(sandbox.expires_at).toBeLessThanOrEqual(before + 3600 + 60);
    const written = await readFile(envFile, 'utf8');
    expect(written.split('\n')).toEqual([
      'PORT=3000',
      `EXPE_API_KEY=${sandbox.secret_key}`,
      `EXPE_API_BASE=${t.url}`,
      `EXPE_SANDBOX_PROJECT_ID=${sandbox.project_id}`,
      `EXPE_SANDBOX_EXPIRES_AT=${new Date(sandbox.expires_at * 1000).toISOString()}`,
      '',
    ]);
    expect((await stat(envFile)).mode & 0o777).toBe(0o600);
    const project = await t.api('GET', `/v1/projects/${sandbox.project_id}`, {
      token: merchant.token,
    });
    expect(project.body.expires_at).toBe(sandbox.expires_at);

    // The key works, through the CLI itself (EXPE_API_KEY as a CI job would export it) and the API.
    const listed = await runExpe(['payments', 'list', '--json'], {
      XDG_CONFIG_HOME: home,
      EXPE_API_BASE: t.url,
      EXPE_API_KEY: sandbox.secret_key,
    });
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).data).toEqual([]);
    const paid = await paymentWith(sandbox.secret_key);
    expect(paid.status, paid.text).toBe(201);

    const deleted = await runExpe(['sandbox', 'delete', '--env-file', envFile, '--json'], {
      ...env,
      EXPE_API_BASE: '',
    });

    expect(deleted.code, deleted.stderr).toBe(0);
    expect(JSON.parse(deleted.stdout)).toEqual({
      id: sandbox.project_id,
      object: 'project',
      deleted: true,
    });
    // The gateway may serve a key it resolved within API_KEY_CACHE_TTL_MS: wait for the 401.
    await expect
      .poll(async () => (await paymentWith(sandbox.secret_key)).status, { timeout: 15_000 })
      .toBe(401);
    // expired_api_key while it is being archived, invalid_api_key once its keys are revoked.
    const refused = await paymentWith(sandbox.secret_key);
    expect(['expired_api_key', 'invalid_api_key']).toContain(refused.body.error.code);
  });

  it('when a sandbox is created with --env-file for people (no --json), then the key goes to the file only: a CI log never shows it', async () => {
    const envFile = join(home, 'ci-log.env');

    const created = await runExpe(['sandbox', 'create', '--ttl', '1h', '--env-file', envFile], env);

    expect(created.code, created.stderr).toBe(0);
    const key = /^EXPE_API_KEY=(.+)$/m.exec(await readFile(envFile, 'utf8'))?.[1];
    expect(key).toMatch(/^sk_test_/);
    expect(created.stdout + created.stderr).not.toContain(key!);
    expect(created.stdout).toContain(`EXPE_API_KEY is in ${envFile}`);
    const deleted = await runExpe(['sandbox', 'delete', '--env-file', envFile, '--json'], env);
    expect(deleted.code, deleted.stderr).toBe(0);
  });

  it('when --ttl is not a duration, then it exits 2 naming --ttl and creates nothing', async () => {
    const projectsBefore = await t.api('GET', '/v1/projects', { token: merchant.token });

    const result = await runExpe(['sandbox', 'create', '--ttl', '1 hour'], env);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--ttl must be a number and a unit: 90s, 15m, 1h or 2d');
    const projectsAfter = await t.api('GET', '/v1/projects', { token: merchant.token });
    expect(projectsAfter.body.data).toHaveLength(projectsBefore.body.data.length);
  });

  it('when no merchant credentials are set, then create exits 2 saying which variables to set', async () => {
    const result = await runExpe(['sandbox', 'create', '--ttl', '15m'], {
      XDG_CONFIG_HOME: home,
      EXPE_API_BASE: t.url,
      EXPE_EMAIL: '',
      EXPE_PASSWORD: '',
    });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('set EXPE_EMAIL and EXPE_PASSWORD (or EXPE_ACCESS_TOKEN)');
  });
});
