import { and, count, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { selectPage, type Executor, type Page, type PageRequest } from '@expe/server-kit';
import { apiKeys, apiKeySecrets, projects } from './schema.js';

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type NewApiKeyRow = typeof apiKeys.$inferInsert;
export type ApiKeySecretRow = typeof apiKeySecrets.$inferSelect;
export type NewApiKeySecretRow = typeof apiKeySecrets.$inferInsert;

export async function insertApiKey(db: Executor, values: NewApiKeyRow): Promise<ApiKeyRow> {
  const [row] = await db.insert(apiKeys).values(values).returning();
  if (!row) throw new Error('insert into api_keys returned no row');
  return row;
}

export async function insertApiKeySecret(
  db: Executor,
  values: NewApiKeySecretRow,
): Promise<ApiKeySecretRow> {
  const [row] = await db.insert(apiKeySecrets).values(values).returning();
  if (!row) throw new Error('insert into api_key_secrets returned no row');
  return row;
}

export async function countActiveKeysOfProject(db: Executor, projectId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(apiKeys)
    .where(and(eq(apiKeys.projectId, projectId), isNull(apiKeys.revokedAt)));
  return row?.n ?? 0;
}

export interface ApiKeyScope {
  merchantId: string;
  projectId: string;
  keyId: string;
}

const isKeyIn = (scope: ApiKeyScope) =>
  and(
    eq(apiKeys.id, scope.keyId),
    eq(apiKeys.projectId, scope.projectId),
    eq(apiKeys.merchantId, scope.merchantId),
  );

export async function findApiKey(
  db: Executor,
  scope: ApiKeyScope,
  options: { forUpdate?: boolean } = {},
): Promise<ApiKeyRow | undefined> {
  const query = db.select().from(apiKeys).where(isKeyIn(scope));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

export async function listApiKeysOfProject(
  db: Executor,
  projectId: string,
  page: PageRequest,
): Promise<Page<ApiKeyRow>> {
  return selectPage(db, apiKeys, page, eq(apiKeys.projectId, projectId));
}

/** The secrets of the given keys, newest first. */
export async function listSecretsOfKeys(
  db: Executor,
  keyIds: readonly string[],
): Promise<ApiKeySecretRow[]> {
  if (keyIds.length === 0) return [];
  return db
    .select()
    .from(apiKeySecrets)
    .where(inArray(apiKeySecrets.apiKeyId, [...keyIds]))
    .orderBy(desc(apiKeySecrets.id));
}

/** Sets revoked_at once; revoking a revoked key keeps the first time. */
export async function revokeApiKey(
  db: Executor,
  scope: ApiKeyScope,
  now: Date,
): Promise<ApiKeyRow | undefined> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, ${now.toISOString()}::timestamptz)` })
    .where(isKeyIn(scope))
    .returning();
  return row;
}

export async function revokeKeysOfProject(
  db: Executor,
  projectId: string,
  now: Date,
): Promise<void> {
  await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.projectId, projectId), isNull(apiKeys.revokedAt)));
}

/** Gives every secret of the key that has no expiry one; returns them. */
export async function expireCurrentSecrets(
  db: Executor,
  keyId: string,
  expiresAt: Date,
): Promise<ApiKeySecretRow[]> {
  return db
    .update(apiKeySecrets)
    .set({ expiresAt })
    .where(and(eq(apiKeySecrets.apiKeyId, keyId), isNull(apiKeySecrets.expiresAt)))
    .returning();
}

/** The key is not revoked and its project is not deleted. */
export async function findUsableApiKey(
  db: Executor,
  keyId: string,
): Promise<ApiKeyRow | undefined> {
  const [row] = await db
    .select({ key: apiKeys })
    .from(apiKeys)
    .innerJoin(projects, eq(projects.id, apiKeys.projectId))
    .where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt), isNull(projects.deletedAt)));
  return row?.key;
}

/** `expired`: a rolled secret past its grace; `sandbox_ended`: its project's expires_at passed. */
export type KeyMatchState = 'active' | 'invalid' | 'expired' | 'sandbox_ended';

export interface KeyMatchRow {
  keyId: string;
  merchantId: string;
  projectId: string;
  mode: 'test' | 'live';
  keyType: 'secret' | 'publishable';
  state: KeyMatchState;
  /** last_used_at is older than the resolution and should be written. */
  isStale: boolean;
}

/**
 * Finds the key whose secret or publishable key hashes to `hash`, in one statement of two
 * unique-index lookups, and judges it in SQL so no timestamps need decoding on this hot path.
 */
export async function findKeyByHash(
  db: Executor,
  hash: string,
  now: Date,
  staleBefore: Date,
): Promise<KeyMatchRow | undefined> {
  const nowValue = sql`${now.toISOString()}::timestamptz`;
  const staleBeforeValue = sql`${staleBefore.toISOString()}::timestamptz`;
  const isGone = sql`${apiKeys.revokedAt} is not null or ${projects.deletedAt} is not null`;
  const hasEnded = sql`${projects.expiresAt} is not null and ${projects.expiresAt} <= ${nowValue}`;
  const isStale = sql<boolean>`(${apiKeys.lastUsedAt} is null or ${apiKeys.lastUsedAt} < ${staleBeforeValue})`;
  const common = {
    keyId: apiKeys.id,
    merchantId: apiKeys.merchantId,
    projectId: apiKeys.projectId,
    mode: apiKeys.mode,
  };
  const bySecret = db
    .select({
      ...common,
      keyType: sql<'secret' | 'publishable'>`'secret'`.as('key_type'),
      state: sql<KeyMatchState>`case when ${isGone} then 'invalid'
        when ${hasEnded} then 'sandbox_ended'
        when ${apiKeySecrets.expiresAt} is not null and ${apiKeySecrets.expiresAt} <= ${nowValue} then 'expired'
        else 'active' end`.as('state'),
      isStale: isStale.as('is_stale'),
    })
    .from(apiKeySecrets)
    .innerJoin(apiKeys, eq(apiKeys.id, apiKeySecrets.apiKeyId))
    .innerJoin(projects, eq(projects.id, apiKeys.projectId))
    .where(eq(apiKeySecrets.secretHash, hash));
  const byPublishable = db
    .select({
      ...common,
      keyType: sql<'secret' | 'publishable'>`'publishable'`.as('key_type'),
      state: sql<KeyMatchState>`case when ${isGone} then 'invalid'
        when ${hasEnded} then 'sandbox_ended' else 'active' end`.as('state'),
      isStale: isStale.as('is_stale'),
    })
    .from(apiKeys)
    .innerJoin(projects, eq(projects.id, apiKeys.projectId))
    .where(eq(apiKeys.publishableHash, hash));
  const [row] = await bySecret.unionAll(byPublishable).limit(1);
  return row;
}

/** Writes last_used_at unless another request already did within the resolution. */
export async function touchLastUsed(
  db: Executor,
  keyId: string,
  now: Date,
  staleBefore: Date,
): Promise<void> {
  await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiKeys.id, keyId),
        or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore)),
      ),
    );
}

/** Revokes every active key of the merchant, in every project (deleted ones too); the count. */
export async function revokeKeysOfMerchant(
  db: Executor,
  merchantId: string,
  now: Date,
): Promise<number> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.merchantId, merchantId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length;
}
