import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
} from '@opentelemetry/api';

const tracer = trace.getTracer('expe-outbox');

/** A queued job that carries the W3C trace context of the change that produced it. */
export interface TracedJob {
  event: { id: string; type: string };
  traceparent?: string;
}

/**
 * Sends outbox jobs with one PRODUCER span per job (`send <queue>`), a child of the trace its
 * event was recorded in, and hands the consumer that span's context in place of the recorded
 * one. The relay thus appears in the payment's trace between the request that wrote the event
 * and the worker that takes the job (OpenTelemetry's messaging conventions: a send span per
 * message, the consumer's span its child). A job recorded outside any trace is sent as it is.
 * Without a tracer provider the spans are non-recording and the recorded context passes on
 * unchanged.
 */
export async function sendWithProducerSpans<T extends TracedJob>(
  queueName: string,
  jobs: readonly T[],
  send: (jobs: T[]) => Promise<void>,
): Promise<void> {
  const spans: Span[] = [];
  const traced = jobs.map((job) => {
    if (!job.traceparent) return job;
    const parent = propagation.extract(ROOT_CONTEXT, { traceparent: job.traceparent });
    const span = tracer.startSpan(
      `send ${queueName}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'redis',
          'messaging.operation.type': 'send',
          'messaging.destination.name': queueName,
          'messaging.message.id': job.event.id,
          'expe.event_type': job.event.type,
        },
      },
      parent,
    );
    spans.push(span);
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(parent, span), carrier);
    return { ...job, traceparent: carrier.traceparent ?? job.traceparent };
  });
  // The queue's own Redis commands belong to the first job's send span (one round trip for all).
  const active = spans[0] ? trace.setSpan(context.active(), spans[0]) : context.active();
  try {
    await context.with(active, () => send(traced));
  } catch (error) {
    for (const span of spans) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}
