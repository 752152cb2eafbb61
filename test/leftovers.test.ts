import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import pg from 'pg';
import { testPostgresUrl, testRedisUrl } from '@expe/testing';

const run = promisify(execFile);

// The suite's globalSetup (test/support/leftovers.global.ts) fails a CI run that leaves a
// database, a Redis key or a process behind. Here it watches a run of one file that leaves all
// three (test/fixtures/leftovers), and this file removes them afterwards.
describe('the leftovers check of a test run', () => {
  const label = `leftover_${randomBytes(3).toString('hex')}`;
  const sleepSeconds = `600.${Date.now() % 100_000}`;

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: testPostgresUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ datname: string }>(
        'select datname from pg_database where datname like $1',
        [`expe_${label}_%`],
      );
      for (const { datname } of rows) {
        await admin.query(`drop database if exists "${datname}" with (force)`);
      }
    } finally {
      await admin.end();
    }
    const redis = new Redis(testRedisUrl);
    await redis.del(`expe-test:${label}:key`);
    redis.disconnect();
    await run('pkill', ['-f', `^sleep ${sleepSeconds}$`]).catch(() => undefined);
  });

  it('when a run leaves a database, a Redis key and a process, then it fails under CI and names each', async () => {
    const failure = await run(
      'npx',
      ['vitest', 'run', '--config', 'test/fixtures/leftovers/vitest.config.ts'],
      {
        env: { ...process.env, CI: 'true', LEFTOVER_LABEL: label, LEFTOVER_SLEEP: sleepSeconds },
      },
    ).then(
      () => undefined,
      (error: { code?: number; stdout?: string; stderr?: string }) => error,
    );

    expect(failure?.code).toBe(1);
    const output = `${failure?.stdout ?? ''}${failure?.stderr ?? ''}`;
    expect(output).toContain('The test run left shared state behind');
    expect(output).toMatch(new RegExp(`PostgreSQL database\\(s\\):.*expe_${label}_[0-9a-f]{8}`));
    expect(output).toMatch(new RegExp(`Redis key\\(s\\):.*expe-test:${label}:key`));
    expect(output).toMatch(new RegExp(`orphaned process\\(es\\):.*sleep ${sleepSeconds}`));
  }, 120_000);
});
