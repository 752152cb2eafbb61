import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type HistogramMetricData,
} from '@opentelemetry/sdk-metrics';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '@expe/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from './db.js';
import { kitHistogramProducer } from './kit-histograms.js';

// Without an exporter of traces there is no pg instrumentation (telemetry.ts): the kit records
// db.client.operation.duration and the pool's connection counts itself, under the same names
// and labels, for a real PostgreSQL. The duration is a histogram the kit aggregates, read with the
// SDK's metrics through its producer (as startTelemetry's reader does).
const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const kitHistograms = kitHistogramProducer();
const reader = new PeriodicExportingMetricReader({
  exporter,
  exportIntervalMillis: 3_600_000,
  metricProducers: [kitHistograms],
});
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let handle: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase('db_metrics');
  handle = openDatabase({ url: database.url, maxConnections: 2 });
});
afterAll(async () => {
  await handle?.close();
  await database?.drop();
  await reader.shutdown();
  kitHistograms.stop();
  metrics.disable();
});

async function collected() {
  await reader.forceFlush();
  const metricsData = exporter
    .getMetrics()
    .at(-1)!
    .scopeMetrics.flatMap((scope) => scope.metrics);
  exporter.reset();
  return metricsData;
}

describe('database metrics recorded by the kit', () => {
  it('when queries succeed and fail, then each is one db.client.operation.duration sample labelled by operation, and a failure by its SQLSTATE', async () => {
    await handle.db.execute(sql`select 1`);
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`select 2`);
    });
    await expect(handle.db.execute(sql`select * from no_such_table`)).rejects.toThrow();

    const duration = (await collected()).find(
      (metric) => metric.descriptor.name === 'db.client.operation.duration',
    ) as HistogramMetricData;
    expect(duration.descriptor.unit).toBe('s');
    const counts = Object.fromEntries(
      duration.dataPoints.map((point) => [
        `${String(point.attributes['db.operation.name'])} ${String(point.attributes['error.type'] ?? '')}`.trim(),
        point.value.count,
      ]),
    );
    expect(counts).toMatchObject({ SELECT: 2, BEGIN: 1, COMMIT: 1, 'SELECT 42P01': 1 });
    expect(duration.dataPoints[0]!.attributes).toMatchObject({
      'db.system.name': 'postgresql',
      'db.namespace': new URL(database.url).pathname.slice(1),
    });
  });

  it('when collected, then the pool reports its connections by state', async () => {
    const count = (await collected()).find(
      (metric) => metric.descriptor.name === 'db.client.connection.count',
    )!;
    const states = count.dataPoints.map((point) => point.attributes['db.client.connection.state']);
    expect(states).toEqual(expect.arrayContaining(['idle', 'used']));
  });
});
