import { metrics, type Attributes } from '@opentelemetry/api';
import pg from 'pg';
import { KitHistogram, type HistogramSeries } from './kit-histograms.js';

/**
 * `db.client.operation.duration` (`db_client_operation_duration` on /metrics) and the pool's
 * connection counts, recorded by the kit instead of the pg instrumentation when no traces are
 * exported (issue 23). The instrumentation did the work of a span for every query even with
 * no tracer (configuration objects, attribute maps, wrapped callbacks, a no-op span) and was
 * 5–8 % of a service's CPU under load; this is one clock reading and one histogram record per
 * query, with the instrumentation's names, labels and buckets. When traces are exported the
 * instrumentation runs instead (it records the same metric beside its spans).
 */
export interface DatabaseMetrics {
  /** A pg client class whose queries are timed; give it to the pool (`Client`). */
  Client: typeof pg.Client;
  /** Reports the pool's connection counts at each metrics collection. */
  observePool(pool: pg.Pool): void;
}

let duration: KitHistogram | undefined;

/** Aggregated by the kit (`KitHistogram`): no sorted-JSON hash of the labels per query. */
function operationDuration(): KitHistogram {
  duration ??= new KitHistogram(
    'expe-db',
    {
      name: 'db.client.operation.duration',
      description: 'Duration of database client operations.',
      unit: 's',
    },
    [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10],
  );
  return duration;
}

/** The statement's first word, as the pg instrumentation names it (SELECT, INSERT, BEGIN, …). */
function operationName(text: string): string {
  const trimmed = text.trimStart();
  const space = trimmed.search(/\s/);
  const word = (space === -1 ? trimmed : trimmed.slice(0, space)).toUpperCase();
  return word.endsWith(';') ? word.slice(0, -1) : word;
}

type QueryArgs = Parameters<pg.Client['query']>;

export function databaseMetrics(connection: { database: string; host: string; port: number }) {
  const histogram = operationDuration();
  const base: Attributes = {
    'db.system.name': 'postgresql',
    'db.namespace': connection.database,
    'server.address': connection.host,
    'server.port': connection.port,
  };
  /** One series per operation and outcome (of this connection: its labels name the database). */
  const seriesSets = new Map<string, HistogramSeries>();
  const seriesOf = (text: unknown, errorCode: unknown): HistogramSeries => {
    const operation = typeof text === 'string' ? operationName(text) : undefined;
    const error = typeof errorCode === 'string' ? errorCode : undefined;
    const key = `${operation ?? ''} ${error ?? ''}`;
    let series = seriesSets.get(key);
    if (!series) {
      series = histogram.series(
        `${connection.host}\n${connection.port}\n${connection.database}\n${key}`,
        (): Attributes => ({
          ...base,
          ...(operation ? { 'db.operation.name': operation } : {}),
          ...(error ? { 'error.type': error } : {}),
        }),
      );
      // Operations and SQLSTATEs are few; the bound only guards against the unexpected.
      if (seriesSets.size < 1_000) seriesSets.set(key, series);
    }
    return series;
  };
  const record = (started: number, config: unknown, error?: unknown) => {
    const text = typeof config === 'string' ? config : (config as { text?: unknown } | null)?.text;
    seriesOf(text, (error as { code?: unknown } | undefined)?.code).record(
      (performance.now() - started) / 1000,
    );
  };

  class MeteredClient extends pg.Client {
    // @ts-expect-error: one implementation for pg's overloads, which it passes on unchanged.
    override query(...args: QueryArgs): unknown {
      const started = performance.now();
      const query = (queryArgs: QueryArgs): unknown => super.query(...queryArgs);
      const last: unknown = args[args.length - 1];
      if (typeof last === 'function') {
        args[args.length - 1] = (error: unknown, result: unknown) => {
          record(started, args[0], error ?? undefined);
          (last as (error: unknown, result: unknown) => void)(error, result);
        };
        return query(args);
      }
      const result = query(args);
      if (!(result instanceof Promise)) return result; // a Submittable (cursor, stream): untimed
      return result.then(
        (value: unknown) => {
          record(started, args[0]);
          return value;
        },
        (error: unknown) => {
          record(started, args[0], error);
          throw error;
        },
      );
    }
  }

  return {
    Client: MeteredClient as unknown as typeof pg.Client,
    observePool(pool: pg.Pool) {
      const meter = metrics.getMeter('expe-db');
      const poolAttributes = {
        'db.client.connection.pool.name': `${connection.host}:${connection.port}/${connection.database}`,
      };
      meter
        .createObservableUpDownCounter('db.client.connection.count', {
          description:
            'The number of connections that are currently in state described by the state attribute.',
          unit: '{connection}',
        })
        .addCallback((observer) => {
          observer.observe(pool.idleCount, {
            ...poolAttributes,
            'db.client.connection.state': 'idle',
          });
          observer.observe(pool.totalCount - pool.idleCount, {
            ...poolAttributes,
            'db.client.connection.state': 'used',
          });
        });
      meter
        .createObservableUpDownCounter('db.client.connection.pending_requests', {
          description: 'The number of current pending requests for an open connection.',
          unit: '{connection}',
        })
        .addCallback((observer) => observer.observe(pool.waitingCount, poolAttributes));
    },
  } satisfies DatabaseMetrics;
}
