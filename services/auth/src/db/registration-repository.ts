import type { Executor } from '@expe/server-kit';
import { eq } from 'drizzle-orm';
import { registrations } from './schema.js';

/**
 * The user id pinned for a merchant sign-up of this email: `userId` if none was pinned yet,
 * else the one an earlier (failed or concurrent) attempt pinned. Concurrent calls agree: the
 * primary key decides which insert wins, the others read its row.
 */
export async function pinRegistration(
  db: Executor,
  email: string,
  userId: string,
): Promise<string> {
  const [inserted] = await db
    .insert(registrations)
    .values({ email, userId })
    .onConflictDoNothing({ target: registrations.email })
    .returning({ userId: registrations.userId });
  if (inserted) return inserted.userId;
  const [existing] = await db
    .select({ userId: registrations.userId })
    .from(registrations)
    .where(eq(registrations.email, email));
  if (!existing) throw new Error('registration insert conflicted but no registration was found');
  return existing.userId;
}
