import { notFound, type Executor } from '@expe/server-kit';
import type { UserRow } from '../db/schema.js';
import { findUserById } from '../db/user-repository.js';

export async function getUser(db: Executor, id: string): Promise<UserRow> {
  const user = await findUserById(db, id);
  if (!user) throw notFound('user', id);
  return user;
}
