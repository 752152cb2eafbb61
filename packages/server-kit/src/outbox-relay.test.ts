import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { node, tracing } from '@opentelemetry/sdk-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

/**
 * The relay's spans (issue 24's leftover): an idle poll makes none, a poll that claims events
 * makes one tree. The real SDK with the pg and ioredis instrumentation, as a traced service runs
 * them, exporting into memory; real PostgreSQL and Redis.
 */
const spans = new tracing.InMemorySpanExporter();
const provider = new node.NodeTracerProvider({
  spanProcessors: [new tracing.SimpleSpanProcessor(spans)],
});
provider.register();
registerInstrumentations({
  tracerProvider: provider,
  instrumentations: [new PgInstrumentation(), new IORedisInstrumentation()],
});
// Loaded after the instrumentation is registered, so that pg and ioredis are patched.
const { sql } = await import('drizzle-orm');
const { pgSchema } = await import('drizzle-orm/pg-core');
const { createTestDatabase, createTestRedisPrefix, testRedisUrl } = await import('@expe/testing');
const kit = await import('./index.js');

const table = kit.outboxTable(pgSchema('outbox_kit_test'), 'events');
const tableDdl = sql`
  create schema outbox_kit_test;
  create table outbox_kit_test.events (
    id text primary key, type text not null, mode text not null, merchant_id text,
    project_id text, data jsonb not null, traceparent text,
    created_at timestamptz not null default now(), relayed_at timestamptz,
    constraint events_mode check (mode in ('test', 'live')));
  create index events_unrelayed_idx on outbox_kit_test.events (id) where relayed_at is null;`;

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let handle: ReturnType<typeof kit.openDatabase>;
let redisPrefix: ReturnType<typeof createTestRedisPrefix>;
let queue: ReturnType<typeof kit.createEventQueue>;
let publisher: ReturnType<typeof kit.createRedis>;

beforeAll(async () => {
  database = await createTestDatabase('outbox_relay_spans');
  handle = kit.openDatabase({ url: database.url, maxConnections: 2 });
  await handle.db.execute(tableDdl);
  redisPrefix = createTestRedisPrefix('outbox-relay-spans');
  queue = kit.createEventQueue(testRedisUrl, redisPrefix.prefix);
  publisher = kit.createRedis(testRedisUrl);
});

afterAll(async () => {
  await queue?.close();
  publisher?.disconnect();
  await handle?.close();
  await database?.drop();
  await redisPrefix?.cleanup();
  await provider.shutdown();
});

beforeEach(() => spans.reset());

const source = () => ({
  db: handle.db,
  table,
  queues: [queue],
  publisher,
  keyPrefix: redisPrefix.prefix,
});

describe("the outbox relay's spans", () => {
  it('when a poll finds nothing to relay, then it makes no span at all, while the same queries outside the relay do', async () => {
    expect(await kit.relayOutboxBatch(source(), 100)).toBe(0);
    expect(await kit.relayOutboxBatch(source(), 100)).toBe(0);
    expect(spans.getFinishedSpans().map((span) => span.name)).toEqual([]);

    // The instrumentation is live: the relay's claim, run by hand, is traced.
    await handle.db.execute(sql`select id from outbox_kit_test.events where relayed_at is null`);
    expect(spans.getFinishedSpans().length).toBeGreaterThan(0);
  });

  it('when a poll claims events, then it is one trace rooted at its relay span, and each event goes on in its own trace through its send span', async () => {
    // The request that recorded the event, as recordEvent captures it.
    const request = trace.getTracer('test').startSpan('POST /v1/payments/:id/confirm');
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), request), carrier);
    request.end();
    const id = kit.newId('evt');
    await handle.db.insert(table).values({
      id,
      type: 'payment.succeeded',
      mode: 'test',
      merchantId: 'mer_1',
      projectId: 'prj_1',
      data: { id: 'pay_1', object: 'payment' },
      traceparent: carrier.traceparent ?? null,
    });
    spans.reset();

    expect(await kit.relayOutboxBatch(source(), 100)).toBe(1);

    const finished = spans.getFinishedSpans();
    const relay = finished.find((span) => span.name === 'relay outbox_kit_test.events');
    expect(relay?.parentSpanContext).toBe(undefined);
    expect(relay?.attributes['messaging.batch.message_count']).toBe(1);
    expect(relay?.links.map((link) => link.context.spanId)).toEqual([request.spanContext().spanId]);
    const send = finished.find((span) => span.kind === SpanKind.PRODUCER);
    expect(send?.name).toBe('send expe-events');
    expect(send?.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    // The mark and the pub/sub publish belong to the relay's trace, under its span.
    const relayTrace = finished.filter(
      (span) => span.spanContext().traceId === relay?.spanContext().traceId,
    );
    expect(relayTrace.map((span) => span.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^pg\.query:UPDATE/), 'publish']),
    );
    for (const span of relayTrace.filter((span) => span !== relay)) {
      expect(span.parentSpanContext?.spanId, span.name).toBe(relay?.spanContext().spanId);
    }
    // Nothing else: every span is in the relay's trace or in the request's.
    expect(
      finished.filter(
        (span) =>
          span.spanContext().traceId !== relay?.spanContext().traceId &&
          span.spanContext().traceId !== request.spanContext().traceId,
      ),
    ).toEqual([]);
  });
});
