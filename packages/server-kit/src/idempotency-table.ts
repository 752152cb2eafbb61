import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  primaryKey,
  text,
  timestamp,
  type PgSchema,
} from 'drizzle-orm/pg-core';
import { maxIdempotencyKeyLength } from './idempotency.js';

/**
 * `<schema>.idempotency_keys`, where the kit's `runIdempotent` keeps a service's answers: the one
 * definition every service schema declares its table with (`idempotencyKeysTable(authSchema)`).
 * The migrations that created these tables (auth 0002, merchants 0002, payments 0000, webhooks
 * 0001) already hold exactly this shape; `idempotency-table.test.ts` compares the two.
 */
export function idempotencyKeysTable(schema: PgSchema) {
  return schema.table(
    'idempotency_keys',
    {
      scope: text('scope').notNull(),
      key: text('key').notNull(),
      requestHash: text('request_hash').notNull(),
      responseStatus: integer('response_status').notNull(),
      /** The exact bytes sent (sealed when the store says so), so a replay is byte for byte. */
      responseBody: text('response_body').notNull(),
      createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' })
        .notNull()
        .defaultNow(),
      expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    },
    (t) => [
      primaryKey({ name: 'idempotency_keys_pkey', columns: [t.scope, t.key] }),
      index('idempotency_keys_expires_at_idx').on(t.expiresAt),
      check(
        'idempotency_keys_key_length',
        sql`char_length(${t.key}) between 1 and ${sql.raw(String(maxIdempotencyKeyLength))}`,
      ),
    ],
  );
}
