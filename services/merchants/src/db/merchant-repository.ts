import { eq, sql } from 'drizzle-orm';
import type { Executor } from '@expe/server-kit';
import { merchants } from './schema.js';

export type MerchantRow = typeof merchants.$inferSelect;
export type NewMerchantRow = typeof merchants.$inferInsert;

export async function findMerchantById(db: Executor, id: string): Promise<MerchantRow | undefined> {
  const [row] = await db.select().from(merchants).where(eq(merchants.id, id));
  return row;
}

export async function findMerchantByOwner(
  db: Executor,
  ownerUserId: string,
): Promise<MerchantRow | undefined> {
  const [row] = await db.select().from(merchants).where(eq(merchants.ownerUserId, ownerUserId));
  return row;
}

export async function findMerchantByExternalRef(
  db: Executor,
  externalRef: string,
): Promise<MerchantRow | undefined> {
  const [row] = await db.select().from(merchants).where(eq(merchants.externalRef, externalRef));
  return row;
}

/** Inserts unless a merchant with the same owner or external ref exists; `undefined` then. */
export async function insertMerchantIfAbsent(
  db: Executor,
  values: NewMerchantRow,
): Promise<MerchantRow | undefined> {
  const [row] = await db.insert(merchants).values(values).onConflictDoNothing().returning();
  return row;
}

export async function updateMerchantName(
  db: Executor,
  id: string,
  name: string,
  now: Date,
): Promise<MerchantRow | undefined> {
  const [row] = await db
    .update(merchants)
    .set({ name, updatedAt: now })
    .where(eq(merchants.id, id))
    .returning();
  return row;
}

/** Name and email, which the operator owns for the merchants it created. */
export async function updateMerchantNameAndEmail(
  db: Executor,
  id: string,
  input: { name: string; email: string },
  now: Date,
): Promise<MerchantRow | undefined> {
  const [row] = await db
    .update(merchants)
    .set({ name: input.name, email: input.email, updatedAt: now })
    .where(eq(merchants.id, id))
    .returning();
  return row;
}

/** Serialises changes that count a merchant's children (the project limit) per merchant. */
export async function lockMerchant(db: Executor, id: string): Promise<void> {
  await db.select({ id: merchants.id }).from(merchants).where(eq(merchants.id, id)).for('update');
}

/** Sets deactivated_at once; deactivating again keeps the first time. */
export async function markMerchantDeactivated(
  db: Executor,
  id: string,
  now: Date,
): Promise<MerchantRow | undefined> {
  const [row] = await db
    .update(merchants)
    .set({
      deactivatedAt: sql`coalesce(${merchants.deactivatedAt}, ${now.toISOString()}::timestamptz)`,
      updatedAt: now,
    })
    .where(eq(merchants.id, id))
    .returning();
  return row;
}
