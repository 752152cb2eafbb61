import type { PGlite } from '@electric-sql/pglite';
import type { Express } from 'express';
import { ConfigError } from './config.js';
import { openDatabase, type Database, type DatabaseHandle } from './db.js';
import { createLogger, type Logger } from './logger.js';
import { createRedis, type Redis } from './redis.js';
import { listen, onShutdown } from './serve.js';
import { startTelemetry } from './telemetry.js';

/** The config fields `startService` reads; every service's schema has them. */
export interface BaseServiceConfig {
  NODE_ENV: 'development' | 'test' | 'production';
  LOG_LEVEL: string;
  PORT: number;
  HOST: string;
  DATABASE_URL?: string | undefined;
  DATABASE_POOL_SIZE?: number;
  REDIS_URL: string;
  REDIS_KEY_PREFIX: string;
  SHUTDOWN_TIMEOUT_MS: number;
  SHUTDOWN_DRAIN_MS?: number;
}

export interface ServiceRuntime {
  db: Database;
  database: DatabaseHandle;
  redis: Redis;
  logger: Logger;
}

export interface RunningService {
  name: string;
  url: string;
  port: number;
  /** Drains HTTP, then runs the service's own cleanup, then closes Redis and the database. */
  close(): Promise<void>;
}

export interface StartServiceOptions {
  name: string;
  config: BaseServiceConfig;
  /** The embedded database of a single-process run; used when DATABASE_URL is unset. */
  pglite?: PGlite | undefined;
  /** The service's migrations (folder and the PostgreSQL schema it owns). */
  migrations?: { folder: string; schema: string };
  logger?: Logger;
  build(runtime: ServiceRuntime): Express | Promise<Express>;
  /** Runs after HTTP has drained, before Redis and the database close (workers, timers). */
  onClose?: () => Promise<void>;
}

/**
 * Opens the database (migrating it), Redis and the HTTP listener for one service, the same way
 * in `main.ts`, in `npm start` and in tests. Telemetry starts here (once per process), before
 * the app is built, so its metrics instruments bind to the provider `/metrics` reads.
 */
export async function startService(options: StartServiceOptions): Promise<RunningService> {
  const { config } = options;
  startTelemetry(options.name);
  const logger = options.logger ?? createLogger({ name: options.name, level: config.LOG_LEVEL });
  const database = openDatabase({
    url: config.DATABASE_URL,
    pglite: options.pglite,
    maxConnections: config.DATABASE_POOL_SIZE ?? 10,
    applicationName: `expe-${options.name}`,
  });
  const redis = createRedis(config.REDIS_URL, {
    keyPrefix: config.REDIS_KEY_PREFIX,
    name: `expe-${options.name}`,
  });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis error'));
  try {
    if (options.migrations) await database.migrate(options.migrations);
    const app = await options.build({ db: database.db, database, redis, logger });
    const server = await listen(app, {
      port: config.PORT,
      host: config.HOST,
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
      drainMs: config.SHUTDOWN_DRAIN_MS,
    });
    logger.info({ url: server.url }, `${options.name} listening`);
    return {
      name: options.name,
      url: server.url,
      port: server.port,
      async close() {
        await server.close();
        await options.onClose?.();
        redis.disconnect();
        await database.close();
      },
    };
  } catch (error) {
    redis.disconnect();
    await database.close();
    throw error;
  }
}

/** The IPC message a service started by a parent process sends once it listens. */
export const listeningMessageType = 'expe:listening';

/**
 * The body of every `main.ts`: runs `start`, stops cleanly on SIGTERM/SIGINT, and exits non-zero
 * with the offending variables named when the configuration is invalid.
 */
export function runMain(
  name: string,
  start: () => Promise<{ close(): Promise<void>; url?: string }>,
): void {
  const logger = createLogger({ name, level: process.env.LOG_LEVEL ?? 'info' });
  Promise.resolve()
    .then(start)
    .then(
      (running) => {
        onShutdown(logger, () => running.close());
        // Started by a parent over IPC (`npm start`, the benchmark): tell it where we listen.
        if (process.send) {
          process.send({ type: listeningMessageType, name, url: running.url });
          // The parent went away (killed, crashed): stop rather than run on as an orphan.
          process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
        }
      },
      (error: unknown) => {
        if (error instanceof ConfigError) {
          for (const problem of error.problems) {
            process.stderr.write(`${name}: config ${problem.variable}: ${problem.message}\n`);
          }
        } else {
          logger.fatal({ err: error }, 'failed to start');
        }
        process.exit(1);
      },
    );
}
