import { sql } from 'drizzle-orm';
import { check, index, pgSchema, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { apiVersions, latestApiVersion, modes } from '@expe/contracts';
import { idempotencyKeysTable } from '@expe/server-kit';

/**
 * The `merchants` schema as migrations/ creates it: tables, columns, defaults, checks, indexes and
 * foreign keys are declared in this file exactly as the SQL makes them, and
 * test/schema-drift.test.ts compares the two. Functions and triggers exist only in
 * the SQL migrations: drizzle cannot declare them. Change a table here, then add its migration
 * (CONTRIBUTING.md, "Change a database schema").
 */
export const merchantsSchema = pgSchema('merchants');

/** Stored answers of POSTs that carried an Idempotency-Key: the kit's one table shape. */
export const idempotencyKeys = idempotencyKeysTable(merchantsSchema);

const timestampColumn = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const merchants = merchantsSchema.table(
  'merchants',
  {
    id: text('id').primaryKey(),
    /** The auth user who signed up as this merchant. */
    ownerUserId: text('owner_user_id').unique('merchants_owner_user_id_unique'),
    /**
     * Set instead of an owner when the operator manages the merchant: the Merchant resource's
     * namespace/name and a suffix the operator keeps in an annotation (survives backup/restore).
     */
    externalRef: text('external_ref').unique('merchants_external_ref_unique'),
    name: text('name').notNull(),
    email: text('email').notNull(),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
    updatedAt: timestampColumn('updated_at').notNull().defaultNow(),
    /** Set when the merchant is shut down (its Merchant resource deleted); its keys are revoked. */
    deactivatedAt: timestampColumn('deactivated_at'),
  },
  (t) => [
    check('merchants_one_owner', sql`num_nonnulls(${t.ownerUserId}, ${t.externalRef}) = 1`),
    check('merchants_name_length', sql`char_length(${t.name}) between 1 and 100`),
    check('merchants_email_present', sql`char_length(${t.email}) between 3 and 254`),
  ],
);

export const projects = merchantsSchema.table(
  'projects',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    name: text('name').notNull(),
    /**
     * The API version requests without Expe-Version get: the latest when it was created. Inserts
     * take it from the contract; the database's own default (migration 0003) is the version that
     * was latest then, for rows written by SQL alone.
     */
    apiVersion: text('api_version', { enum: apiVersions })
      .notNull()
      .default('2026-11-28')
      .$defaultFn(() => latestApiVersion),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
    updatedAt: timestampColumn('updated_at').notNull().defaultNow(),
    /** Deletion is soft so that keys, payments and events keep a project to point at. */
    deletedAt: timestampColumn('deleted_at'),
    /** A sandbox's end (null: the project lasts): past it, its keys stop answering. */
    expiresAt: timestampColumn('expires_at'),
    /** When payments archived the ended sandbox's test data (as a reset does). */
    archivedAt: timestampColumn('archived_at'),
  },
  (t) => [
    index('projects_merchant_id_id_idx').on(t.merchantId, t.id),
    index('projects_expires_at_unarchived_idx')
      .on(t.expiresAt)
      .where(sql`${t.expiresAt} is not null and ${t.archivedAt} is null`),
    check('projects_name_length', sql`char_length(${t.name}) between 1 and 100`),
    check('projects_api_version', sql`${t.apiVersion} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`),
  ],
);

export const apiKeys = merchantsSchema.table(
  'api_keys',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id),
    name: text('name').notNull(),
    mode: text('mode', { enum: modes }).notNull(),
    /** Public by design (it ships in web pages), so it is kept in clear to show it again. */
    publishableKey: text('publishable_key').notNull().unique('api_keys_publishable_key_unique'),
    publishableHash: text('publishable_hash').notNull().unique('api_keys_publishable_hash_unique'),
    revokedAt: timestampColumn('revoked_at'),
    lastUsedAt: timestampColumn('last_used_at'),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('api_keys_project_id_id_idx').on(t.projectId, t.id),
    check('api_keys_mode', sql`${t.mode} in ('test', 'live')`),
    check('api_keys_name_length', sql`char_length(${t.name}) between 1 and 100`),
    check('api_keys_publishable_format', sql`${t.publishableKey} like 'pk_' || ${t.mode} || '_%'`),
    check('api_keys_publishable_hash_format', sql`${t.publishableHash} ~ '^[0-9a-f]{64}$'`),
  ],
);

/**
 * The secrets of a key: one current (expires_at null) and, after rolls, older ones that keep
 * working until they expire. Only the SHA-256 of a secret is stored, never the secret.
 */
export const apiKeySecrets = merchantsSchema.table(
  'api_key_secrets',
  {
    id: text('id').primaryKey(),
    apiKeyId: text('api_key_id')
      .notNull()
      .references(() => apiKeys.id),
    secretHash: text('secret_hash').notNull().unique('api_key_secrets_secret_hash_unique'),
    secretLast4: text('secret_last4').notNull(),
    expiresAt: timestampColumn('expires_at'),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('api_key_secrets_api_key_id_idx').on(t.apiKeyId),
    // A roll expires the current secret before it inserts the new one, so there is never more
    // than one secret without an expiry per key.
    uniqueIndex('api_key_secrets_one_current_idx')
      .on(t.apiKeyId)
      .where(sql`expires_at is null`),
    check('api_key_secrets_hash_format', sql`${t.secretHash} ~ '^[0-9a-f]{64}$'`),
    check('api_key_secrets_last4_length', sql`char_length(${t.secretLast4}) = 4`),
  ],
);
