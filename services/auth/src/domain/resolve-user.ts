import { notFound, type Executor } from '@expe/server-kit';
import type { UserRow } from '../db/schema.js';
import { findUserByEmail, findUserByVpa } from '../db/user-repository.js';

/** Finds the user a payer means by "pay to": their VPA (`asha@expe`) or their email address. */
export async function resolveUser(db: Executor, handle: string): Promise<UserRow> {
  const normalized = handle.trim().toLowerCase();
  const user = normalized.endsWith('@expe')
    ? await findUserByVpa(db, normalized)
    : await findUserByEmail(db, normalized);
  // Nobody can pay a deactivated account.
  if (!user || user.deactivatedAt) throw notFound('user', handle, 'handle');
  return user;
}
