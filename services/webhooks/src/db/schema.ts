import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgSchema,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

import {
  modes,
  webhookAttemptOutcomes,
  webhookDeliveryStatuses,
  webhookEndpointStatuses,
  webhookPayloadFormats,
  type WebhookSimulate,
} from '@expe/contracts';
import { outboxTable, scopeConstraints, scopedColumns } from '@expe/server-kit';
import { idempotencyKeysTable } from '@expe/server-kit';

/**
 * The `webhooks` schema as migrations/ creates it: tables, columns, defaults, checks, indexes and
 * foreign keys are declared in this file exactly as the SQL makes them, and
 * test/schema-drift.test.ts compares the two. Functions and triggers exist only in
 * the SQL migrations: drizzle cannot declare them. Change a table here, then add its migration
 * (CONTRIBUTING.md, "Change a database schema").
 */
export const webhooksSchema = pgSchema('webhooks');

/** Stored answers of POSTs that carried an Idempotency-Key: the kit's one table shape. */
export const idempotencyKeys = idempotencyKeysTable(webhooksSchema);

const timestampColumn = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const endpoints = webhooksSchema.table(
  'endpoints',
  {
    id: text('id').primaryKey(),
    /** The owner; not a filter (the project is the boundary). */
    ...scopedColumns(),
    url: text('url').notNull(),
    enabledEvents: text('enabled_events').array().notNull(),
    description: text('description'),
    status: text('status', { enum: webhookEndpointStatuses }).notNull().default('enabled'),
    /** Why it is disabled: the merchant did it, or its attempts kept failing. */
    disabledReason: text('disabled_reason', { enum: ['manual', 'failing'] }),
    /** The first failed attempt since the last success; cleared by a success. */
    failingSince: timestampColumn('failing_since'),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
    updatedAt: timestampColumn('updated_at').notNull().defaultNow(),
    /** Soft deletion: the attempt log keeps an endpoint to point at. */
    deletedAt: timestampColumn('deleted_at'),
    /** Webhook chaos settings (test mode only); null delivers normally. */
    simulate: jsonb('simulate').$type<WebhookSimulate>(),
    /** `stripe`: made through the Stripe-compatible API; gets Stripe Event objects. */
    format: text('format', { enum: webhookPayloadFormats }).notNull().default('expe'),
  },
  (t) => [
    ...scopeConstraints('endpoints', t),
    check('endpoints_status', sql`${t.status} in ('enabled', 'disabled')`),
    check(
      'endpoints_disabled_reason',
      sql`(${t.status} = 'disabled') = (${t.disabledReason} is not null)`,
    ),
    check('endpoints_url_length', sql`char_length(${t.url}) between 1 and 2048`),
    check('endpoints_enabled_events_present', sql`cardinality(${t.enabledEvents}) > 0`),
    check('endpoints_format', sql`${t.format} in ('expe', 'stripe')`),
    check('endpoints_simulate_test_only', sql`${t.simulate} is null or ${t.mode} = 'test'`),
  ],
);

/**
 * Signing secrets, encrypted (they must be recoverable to sign). One current secret per
 * endpoint (expires_at null); after a rotation the old one signs too until it expires.
 */
export const endpointSecrets = webhooksSchema.table(
  'endpoint_secrets',
  {
    id: text('id').primaryKey(),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => endpoints.id),
    /** `v1.<iv>.<tag>.<ciphertext>` (base64url), AES-256-GCM bound to the endpoint id. */
    ciphertext: text('ciphertext').notNull(),
    expiresAt: timestampColumn('expires_at'),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('endpoint_secrets_endpoint_id_idx').on(t.endpointId),
    uniqueIndex('endpoint_secrets_one_current_idx')
      .on(t.endpointId)
      .where(sql`expires_at is null`),
  ],
);

/**
 * Every merchant event this service received, and the synthetic test events it made: the
 * exact bytes it sends, so every attempt and every redelivery signs the same body.
 */
export const events = webhooksSchema.table(
  'events',
  {
    id: text('id').primaryKey(),
    ...scopedColumns(),
    type: text('type').notNull(),
    payload: text('payload').notNull(),
    traceparent: text('traceparent'),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
  },
  (t) => [...scopeConstraints('events', t)],
);

/**
 * One event on its way to one endpoint. The retry schedule is kept here, not in Redis. Scoped
 * through its endpoint (no project column): it is only ever reached from a scoped endpoint.
 */
export const deliveries = webhooksSchema.table(
  'deliveries',
  {
    id: text('id').primaryKey(),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => endpoints.id),
    eventId: text('event_id')
      .notNull()
      .references(() => events.id),
    /**
     * The BullMQ job id: `${event}-${endpoint}` for the fan-out, `${event}-${endpoint}-${delivery}`
     * for manual sends.
     */
    jobId: text('job_id').notNull(),
    manual: boolean('manual').notNull().default(false),
    status: text('status', { enum: webhookDeliveryStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestampColumn('next_attempt_at'),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
    completedAt: timestampColumn('completed_at'),
  },
  (t) => [
    // The fan-out may run twice for one event; the job id makes the second a no-op.
    uniqueIndex('deliveries_job_id_unique').on(t.jobId),
    index('deliveries_event_id_idx').on(t.eventId),
    index('deliveries_endpoint_id_idx').on(t.endpointId),
    index('deliveries_pending_next_attempt_idx')
      .on(t.nextAttemptAt)
      .where(sql`status = 'pending'`),
    check('deliveries_status', sql`${t.status} in ('pending', 'succeeded', 'failed', 'canceled')`),
    check('deliveries_attempts', sql`${t.attempts} >= 0`),
    check(
      'deliveries_pending_has_next_attempt',
      sql`(${t.status} = 'pending') = (${t.nextAttemptAt} is not null)`,
    ),
  ],
);

/** Every HTTP attempt, as the attempt log shows it; scoped through its endpoint, like deliveries. */
export const deliveryAttempts = webhooksSchema.table(
  'delivery_attempts',
  {
    id: text('id').primaryKey(),
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => deliveries.id),
    /** Denormalised so the log of an endpoint, filtered by event, is one index range. */
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => endpoints.id),
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    mode: text('mode', { enum: modes }).notNull(),
    attempt: integer('attempt').notNull(),
    url: text('url').notNull(),
    outcome: text('outcome', { enum: webhookAttemptOutcomes }).notNull(),
    statusCode: integer('status_code'),
    latencyMs: integer('latency_ms'),
    responseExcerpt: text('response_excerpt'),
    error: text('error'),
    nextRetryAt: timestampColumn('next_retry_at'),
    /** The trace the attempt ran in, to find it from the log. */
    traceId: text('trace_id'),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('delivery_attempts_endpoint_id_id_idx').on(t.endpointId, t.id),
    index('delivery_attempts_endpoint_event_id_idx').on(t.endpointId, t.eventId, t.id),
    index('delivery_attempts_delivery_id_idx').on(t.deliveryId),
    check('delivery_attempts_attempt', sql`${t.attempt} >= 1`),
    check(
      'delivery_attempts_outcome',
      sql`${t.outcome} in ('succeeded', 'failed_attempt', 'failed')`,
    ),
    check('delivery_attempts_excerpt_length', sql`octet_length(${t.responseExcerpt}) <= 1024`),
  ],
);

/**
 * The webhooks service's outbox (ADR 0009): every `webhook_endpoint.*` event, written in the
 * transaction of the endpoint change it describes. The kit's shape (`outboxTable`), every event
 * a merchant's: the relay puts each on `expe-events` (the fan-out to the project's endpoints) and
 * `expe-event-log` (payments' event log), and marks it relayed only once both queues took it.
 */
export const outbox = outboxTable(
  webhooksSchema,
  'outbox',
  {
    merchantId: text('merchant_id').notNull(),
    /** The endpoint's project: the event goes to that project's endpoints, log and channel. */
    projectId: text('project_id').notNull(),
  },
  (t) => [check('outbox_type', sql`${t.type} like 'webhook\\_endpoint.%'`)],
);
