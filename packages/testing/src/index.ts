import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, afterEach } from 'vitest';

/**
 * Test helpers shared by every suite: a database of its own per test file, a Redis key prefix of
 * its own, and credentials the way the gateway would mint them. Real PostgreSQL and Redis:
 * `npm test` makes sure both are running.
 */
export const testPostgresUrl =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export { testIdentityKeys, testSecrets } from './secrets.js';
import { testIdentityEnv } from './identity.js';
import {
  merchantsProjectsTableSql,
  migrateDatabase,
  migrationsUpTo,
  queryRows,
} from './migrations.js';
export * from './identity.js';
export * from './api-client.js';
export * from './qr.js';
export * from './migrations.js';
export * from './log-sink.js';
export * from './per-file.js';
export * from './app-error.js';

/**
 * The environment every service under test starts from: an ephemeral port on loopback, the test
 * file's database and Redis prefix, the test identity keys (with `service`'s own private key), a
 * small pool and no logs. A suite adds what it exercises.
 */
export function serviceTestEnv(options: {
  service?: string;
  databaseUrl?: string | undefined;
  redisPrefix: string;
  logLevel?: string;
}): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    REDIS_URL: testRedisUrl,
    REDIS_KEY_PREFIX: options.redisPrefix,
    ...testIdentityEnv(options.service),
    DATABASE_POOL_SIZE: '5',
    NODE_ENV: 'test',
    LOG_LEVEL: options.logLevel ?? 'silent',
  };
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates an empty database named after the caller, so test files never share rows. */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const name = `expe_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * The databases of one data-migration test file: each starts at the previous version's schema
 * (its migrations up to and including `previousTag`); `upgrade` runs the current migrations on
 * top. Call it at the top of the file: it drops the test's databases after each test and removes
 * the previous version's migrations folder after the last.
 */
export function previousVersionDatabases(options: {
  migrationsFolder: string;
  previousTag: string;
  schema: string;
}) {
  let previous: { folder: string; remove(): void } | undefined;
  const databases: TestDatabase[] = [];
  const previousFolder = () =>
    (previous ??= migrationsUpTo(options.migrationsFolder, options.previousTag)).folder;
  afterEach(async () => {
    await Promise.all(databases.splice(0).map((database) => database.drop()));
  });
  afterAll(() => {
    previous?.remove();
    previous = undefined;
  });
  return {
    /** A new database at the previous migration; with `merchantsProjects`, that table too. */
    async create(label: string, { merchantsProjects = false } = {}): Promise<TestDatabase> {
      const database = await createTestDatabase(label);
      databases.push(database);
      await migrateDatabase(database.url, previousFolder(), options.schema);
      if (merchantsProjects) await queryRows(database.url, merchantsProjectsTableSql);
      return database;
    },
    /** Runs the current migrations on `url`, as the new version does at start. */
    upgrade: (url: string) => migrateDatabase(url, options.migrationsFolder, options.schema),
  };
}

/** A Redis key prefix nobody else uses; `cleanup()` deletes what the test left. */
export function createTestRedisPrefix(label = 'test') {
  const prefix = `expe-test:${label}:${randomBytes(4).toString('hex')}:`;
  return {
    prefix,
    async cleanup() {
      const redis = new Redis(testRedisUrl, { lazyConnect: true });
      await redis.connect();
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
          cursor = next;
          if (keys.length > 0) await redis.del(...keys);
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
}

/** Reads a table's row count: tests assert that bad input leaves nothing behind. */
export async function countRows(url: string, table: string, where = 'true'): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>(
      `select count(*)::text as n from ${table} where ${where}`,
    );
    return Number(result.rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}
