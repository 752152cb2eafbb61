import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { databaseMetrics } from './db-metrics.js';
import { isTracingConfigured } from './telemetry.js';

/** The Drizzle handle every repository receives: the same API on PostgreSQL and on PGlite. */
export type Database = PgDatabase<PgQueryResultHKT, Record<string, never>>;

export interface DatabaseHandle {
  readonly db: Database;
  readonly kind: 'postgres' | 'pglite';
  /** Runs `select 1`; rejects when the database does not answer. */
  ping(): Promise<void>;
  /** Applies a service's migrations under an advisory lock, so replicas can race safely. */
  migrate(options: { folder: string; schema: string }): Promise<void>;
  /**
   * LISTENs on `channel` over a connection of its own (not one of the pool's): `onNotify` runs
   * for each NOTIFY committed on it, `onLost` once if that connection breaks (listen again).
   */
  listen(channel: string, handlers: ListenHandlers): Promise<Listener>;
  close(): Promise<void>;
}

export interface ListenHandlers {
  onNotify(): void;
  onLost(error: Error): void;
}

export interface Listener {
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL URL; when absent, `pglite` must be given. */
  url?: string | undefined;
  /** An embedded database shared by every service of a single-process run. */
  pglite?: PGlite | undefined;
  /** Pool size per service process. */
  maxConnections?: number;
  applicationName?: string;
}

export function openDatabase(options: OpenDatabaseOptions): DatabaseHandle {
  if (options.url) return openPostgres(options.url, options);
  if (options.pglite) return openPglite(options.pglite);
  throw new Error('DATABASE_URL is not set and no embedded database was provided');
}

function openPostgres(url: string, options: OpenDatabaseOptions): DatabaseHandle {
  // With traces exported, the pg instrumentation records the query metrics beside its spans.
  const metered = isTracingConfigured() ? undefined : databaseMetrics(connectionOf(url));
  const pool = new pg.Pool({
    ...(metered ? { Client: metered.Client } : {}),
    connectionString: url,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'expe',
    // Under load a request waits its turn for a connection rather than failing fast.
    connectionTimeoutMillis: 20_000,
    // Longer than the background loops' idle periods (10 s, 30 s): an idle service reuses its
    // connection instead of opening a new one each time (pg's default closes it after 10 s).
    idleTimeoutMillis: 60_000,
  });
  // A broken idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  metered?.observePool(pool);
  const db = drizzlePg(pool) as unknown as Database;
  return {
    db,
    kind: 'postgres',
    async ping() {
      await pool.query('select 1');
    },
    async migrate({ folder, schema }) {
      const client = await pool.connect();
      try {
        const lockKey = advisoryLockKey(schema);
        await client.query('select pg_advisory_lock($1)', [lockKey]);
        try {
          await migratePg(drizzlePg(client), {
            migrationsFolder: folder,
            ...migrationTable(schema),
          });
        } finally {
          await client.query('select pg_advisory_unlock($1)', [lockKey]);
        }
      } finally {
        client.release();
      }
    },
    listen: (channel, handlers) => listenPostgres(url, channel, handlers),
    async close() {
      await pool.end();
    },
  };
}

async function listenPostgres(
  url: string,
  channel: string,
  handlers: ListenHandlers,
): Promise<Listener> {
  const client = new pg.Client({ connectionString: url, application_name: `listen ${channel}` });
  let isClosed = false;
  const lose = (error: Error) => {
    if (isClosed) return;
    isClosed = true;
    client.removeAllListeners('notification');
    void client.end().catch(() => {});
    handlers.onLost(error);
  };
  client.on('error', lose);
  client.on('end', () => lose(new Error(`the connection listening on ${channel} ended`)));
  client.on('notification', (message) => {
    if (message.channel === channel) handlers.onNotify();
  });
  try {
    await client.connect();
    await client.query(`listen ${pg.escapeIdentifier(channel)}`);
  } catch (error) {
    isClosed = true;
    await client.end().catch(() => {});
    throw error;
  }
  return {
    async close() {
      if (isClosed) return;
      isClosed = true;
      await client.end().catch(() => {});
    },
  };
}

/** Where a PostgreSQL URL points, for the metrics' labels. */
function connectionOf(url: string): { database: string; host: string; port: number } {
  const parsed = new URL(url);
  return {
    database: decodeURIComponent(parsed.pathname.slice(1)),
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
  };
}

function openPglite(client: PGlite): DatabaseHandle {
  const db = drizzlePglite(client) as unknown as Database;
  return {
    db,
    kind: 'pglite',
    async ping() {
      await client.query('select 1');
    },
    async migrate({ folder, schema }) {
      // PGlite is one connection in one process: nothing else can race the migration.
      await migratePglite(drizzlePglite(client), {
        migrationsFolder: folder,
        ...migrationTable(schema),
      });
    },
    async listen(channel, handlers) {
      // One connection in this process: it is never lost while the process lives.
      const unlisten = await client.listen(channel, () => handlers.onNotify());
      return { close: () => unlisten() };
    },
    // The embedded database is shared and closed by whoever created it.
    async close() {},
  };
}

/** Opens (creating if needed) the embedded database that `npm start` uses when no URL is set. */
export async function openEmbeddedPostgres(dataDir: string): Promise<PGlite> {
  mkdirSync(dataDir, { recursive: true });
  const client = new PGlite(dataDir);
  await client.waitReady;
  return client;
}

/**
 * Each service's migration history lives in `expe_migrations.<schema>`, outside the schema the
 * migrations create, so generated SQL (`CREATE SCHEMA "auth"`) runs unedited.
 */
function migrationTable(schema: string) {
  return { migrationsSchema: 'expe_migrations', migrationsTable: schema };
}

function advisoryLockKey(name: string): number {
  let hash = 0;
  for (const char of `expe-migrate:${name}`) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return hash;
}

/** `true` when a unique constraint (optionally the named one) rejected the statement. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pgError = findPgError(error);
  return pgError?.code === '23505' && (!constraint || pgError.constraint === constraint);
}

function findPgError(error: unknown): { code?: string; constraint?: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; constraint?: string; cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return candidate as { code: string; constraint?: string };
    }
    current = candidate.cause;
  }
  return undefined;
}

export { sql };
