import { sql } from 'drizzle-orm';
import { check, index, pgSchema, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { mailKinds, userRoles } from '@expe/contracts';
import { idempotencyKeysTable } from '@expe/server-kit';

/**
 * The `auth` schema as migrations/ creates it: tables, columns, defaults, checks, indexes and
 * foreign keys are declared in this file exactly as the SQL makes them, and
 * test/schema-drift.test.ts compares the two. Functions and triggers exist only in
 * the SQL migrations: drizzle cannot declare them. Change a table here, then add its migration
 * (CONTRIBUTING.md, "Change a database schema").
 */
export const authSchema = pgSchema('auth');

/** Stored answers of POSTs that carried an Idempotency-Key: the kit's one table shape. */
export const idempotencyKeys = idempotencyKeysTable(authSchema);

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

// The values of role, purpose and kind are the contract's (@expe/contracts), declared once.
/** A one-time token is for what the mail that carries it is for. */
const oneTimeTokenPurposes = mailKinds;

export const users = authSchema.table(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: userRoles }).notNull(),
    vpa: text('vpa').notNull(),
    emailVerifiedAt: timestamptz('email_verified_at'),
    /** Set when the user deleted their account or an admin disabled it: no sign-in, no sessions. */
    deactivatedAt: timestamptz('deactivated_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_email_idx').on(t.email),
    uniqueIndex('users_vpa_idx').on(t.vpa),
    check('users_email_lower_case', sql`${t.email} = lower(${t.email})`),
    check('users_role_known', sql`${t.role} in ('user', 'merchant', 'admin')`),
    check('users_vpa_format', sql`${t.vpa} ~ '^[a-z0-9.]{3,30}@expe$'`),
  ],
);

/**
 * One row per refresh token ever issued. A family is one sign-in (the `sid` of its access
 * tokens): every rotation adds a row to the family, and a reuse revokes the whole family.
 */
export const refreshTokens = authSchema.table(
  'refresh_tokens',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    familyId: text('family_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
    revokedAt: timestamptz('revoked_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('refresh_tokens_token_hash_idx').on(t.tokenHash),
    index('refresh_tokens_family_idx').on(t.familyId),
    index('refresh_tokens_user_idx').on(t.userId),
  ],
);

export const oneTimeTokens = authSchema.table(
  'one_time_tokens',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: oneTimeTokenPurposes }).notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('one_time_tokens_token_hash_idx').on(t.tokenHash),
    index('one_time_tokens_user_purpose_idx').on(t.userId, t.purpose),
    check(
      'one_time_tokens_purpose_known',
      sql`${t.purpose} in ('email_verification', 'password_reset')`,
    ),
  ],
);

/**
 * The dev mailbox: what Expe would have emailed. It is the only place a raw token is kept, so
 * nothing is written here in production.
 */
export const mails = authSchema.table(
  'mails',
  {
    id: text('id').primaryKey(),
    toEmail: text('to_email').notNull(),
    kind: text('kind', { enum: mailKinds }).notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    token: text('token').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('mails_to_email_idx').on(t.toEmail, t.id),
    check('mails_kind_known', sql`${t.kind} in ('email_verification', 'password_reset')`),
  ],
);

/**
 * The user id a merchant sign-up is registered under, pinned per email before the merchants
 * service is asked for the merchant keyed by that id: a retried registration of the email gets
 * the same id, so it finds the merchant an earlier attempt created instead of making a second
 * one. Kept once the user exists, so that a concurrent attempt that comes late still uses the
 * winner's id (and merchant) and only fails on the user insert.
 */
export const registrations = authSchema.table(
  'registrations',
  {
    email: text('email').primaryKey(),
    userId: text('user_id').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('registrations_user_id_idx').on(t.userId),
    check('registrations_email_lower_case', sql`${t.email} = lower(${t.email})`),
  ],
);

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;
export type RefreshTokenRow = typeof refreshTokens.$inferSelect;
export type OneTimeTokenRow = typeof oneTimeTokens.$inferSelect;
export type OneTimeTokenPurpose = (typeof oneTimeTokenPurposes)[number];
export type MailRow = typeof mails.$inferSelect;
export type NewMailRow = typeof mails.$inferInsert;
