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
        ? { emailVerifiedAt: firstTime('emailVerifiedAt', options.now) }
        : {}),
    })
    .where(eq(users.id, id))
    .returning();
  if (!row) throw new Error(`auth.users has no row ${id}`);
  return row;
}

/** Keeps the first verification time when the address is confirmed twice. */
export function markEmailVerified(
  db: Executor,
  id: string,
  now: Date,
): Promise<UserRow | undefined> {
  return stampOnce(db, id, 'emailVerifiedAt', now);
}

/** Marks the user deactivated (once: the first time is kept); undefined when there is no such user. */
export function deactivateUser(db: Executor, id: string, now: Date): Promise<UserRow | undefined> {
  return stampOnce(db, id, 'deactivatedAt', now);
}

/** The moment a user became something, kept from the first time it is stamped. */
type OnceColumn = 'emailVerifiedAt' | 'deactivatedAt';

const firstTime = (column: OnceColumn, now: Date) => sql`coalesce(${users[column]}, ${now})`;

async function stampOnce(
  db: Executor,
  id: string,
  column: OnceColumn,
  now: Date,
): Promise<UserRow | undefined> {
  const [row] = await db
    .update(users)
    .set({ [column]: firstTime(column, now), updatedAt: now })
    .where(eq(users.id, id))
    .returning();
  return row;
}
