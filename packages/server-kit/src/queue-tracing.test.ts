import { randomUUID } from 'node:crypto';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { node, tracing } from '@opentelemetry/sdk-node';
import { createTestRedisPrefix, testRedisUrl } from '@expe/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createEventQueue, eventsQueueName, type EventJobData } from './event-queue.js';
import { openJobQueues, type QueueJob } from './job-queue.js';
import { createLogger } from './logger.js';
import { sendWithProducerSpans } from './queue-tracing.js';

/**
 * The outbox's trace across the queue (issue 24): a job sent by the relay continues the trace
 * its event was recorded in through a PRODUCER span, and the consumer's parent is that span.
 * Real Redis and BullMQ, as the relays and the webhooks worker use them.
 */
const spans = new tracing.InMemorySpanExporter();
const provider = new node.NodeTracerProvider({
  spanProcessors: [new tracing.SimpleSpanProcessor(spans)],
});
provider.register();
// The test's keys (BullMQ's queue, jobs and events) go when it ends, as every suite's do.
const redisPrefix = createTestRedisPrefix('queue-tracing');
afterAll(async () => {
  await provider.shutdown();
  await redisPrefix.cleanup();
});

const redisUrl = testRedisUrl;

function eventJob(traceparent?: string): EventJobData {
  const id = `evt_${randomUUID().replaceAll('-', '')}`;
  return {
    event: { id, object: 'event', type: 'payment.succeeded' } as EventJobData['event'],
    merchant_id: 'mer_1',
    project_id: 'proj_1',
    mode: 'test',
    ...(traceparent ? { traceparent } : {}),
  };
}

describe('the outbox queue in a trace', () => {
  it('when the relay sends a job recorded in a trace, then a send span joins that trace and the consumer gets its context', async () => {
    const { prefix } = redisPrefix;
    const queue = createEventQueue(redisUrl, prefix);
    const received: QueueJob<EventJobData>[] = [];
    const worker = openJobQueues(redisUrl, prefix).worker<EventJobData>(eventsQueueName, {
      concurrency: 1,
      logger: createLogger({ name: 'queue-tracing-test', level: 'silent' }),
      handle: (job) => {
        received.push(job);
        return Promise.resolve();
      },
    });
    try {
      // The request that recorded the event, as recordEvent captures it.
      const request = trace.getTracer('test').startSpan('POST /v1/payments/:id/confirm');
      const carrier: Record<string, string> = {};
      propagation.inject(trace.setSpan(context.active(), request), carrier);
      request.end();
      const traced = eventJob(carrier.traceparent);
      const untraced = eventJob();

      await queue.enqueueMany([traced, untraced]);
      await expect.poll(() => received.length, { timeout: 10_000 }).toBe(2);

      const send = spans.getFinishedSpans().filter((span) => span.kind === SpanKind.PRODUCER);
      expect(send).toHaveLength(1);
      expect(send[0]!.name).toBe(`send ${eventsQueueName}`);
      expect(send[0]!.spanContext().traceId).toBe(request.spanContext().traceId);
      expect(send[0]!.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
      expect(send[0]!.attributes).toMatchObject({
        'messaging.destination.name': eventsQueueName,
        'messaging.message.id': traced.event.id,
      });

      const consumed = received.find((job) => job.id === traced.event.id)!;
      const [, traceId, parentId] = consumed.data.traceparent!.split('-');
      expect(traceId).toBe(request.spanContext().traceId);
      expect(parentId).toBe(send[0]!.spanContext().spanId);
      // An event recorded outside any trace starts none here.
      expect(received.find((job) => job.id === untraced.event.id)!.data.traceparent).toBe(
        undefined,
      );
    } finally {
      await worker.close();
      await queue.close();
    }
  });

  it('when sending fails, then the send span records the error and the failure reaches the relay', async () => {
    const request = trace.getTracer('test').startSpan('request');
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), request), carrier);
    request.end();
    spans.reset();

    await expect(
      sendWithProducerSpans('expe-events', [eventJob(carrier.traceparent)], () =>
        Promise.reject(new Error('Connection is closed.')),
      ),
    ).rejects.toThrow('Connection is closed.');
    const [send] = spans.getFinishedSpans();
    expect(send?.status.code).toBe(SpanStatusCode.ERROR);
    expect(send?.events.map((event) => event.name)).toEqual(['exception']);
  });
});
