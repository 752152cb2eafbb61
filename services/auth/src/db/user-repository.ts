import type { Executor } from '@expe/server-kit';
import { eq, sql } from 'drizzle-orm';
import { users, type NewUserRow, type UserRow } from './schema.js';

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return row;
}

export async function findUserByVpa(db: Executor, vpa: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.vpa, vpa)).limit(1);
  return row;
}

export async function insertUser(db: Executor, values: NewUserRow): Promise<UserRow> {
  const [row] = await db.insert(users).values(values).returning();
  if (!row) throw new Error('insert into auth.users returned no row');
  return row;
}

export async function updateUserPassword(
  db: Executor,
  id: string,
  passwordHash: string,
  options: { now: Date; markEmailVerified?: boolean },
): Promise<UserRow> {
  const [row] = await db
    .update(users)
    .set({
      passwordHash,
      updatedAt: options.now,
      ...(options.markEmailVerified
        ? { emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${options.now})` }
        : {}),
    })
    .where(eq(users.id, id))
    .returning();
  if (!row) throw new Error(`auth.users has no row ${id}`);
  return row;
}

/** Keeps the first verification time when the address is confirmed twice. */
export async function markEmailVerified(
  db: Executor,
  id: string,
  now: Date,
): Promise<UserRow | undefined> {
  const [row] = await db
    .update(users)
    .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now})`, updatedAt: now })
    .where(eq(users.id, id))
    .returning();
  return row;
}

/** Marks the user deactivated (once: the first time is kept); undefined when there is no such user. */
export async function deactivateUser(
  db: Executor,
  id: string,
  now: Date,
): Promise<UserRow | undefined> {
  const [row] = await db
    .update(users)
    .set({ deactivatedAt: sql`coalesce(${users.deactivatedAt}, ${now})`, updatedAt: now })
    .where(eq(users.id, id))
    .returning();
  return row;
}
