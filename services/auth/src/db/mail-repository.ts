import type { Executor } from '@expe/server-kit';
import { desc, eq } from 'drizzle-orm';
import { mails, type MailRow, type NewMailRow } from './schema.js';

export async function insertMail(db: Executor, values: NewMailRow): Promise<void> {
  await db.insert(mails).values(values);
}

/** Newest first; ids are time-sortable ULIDs, so ordering by id is ordering by creation. */
export async function listMailsTo(db: Executor, email: string, limit: number): Promise<MailRow[]> {
  return db
    .select()
    .from(mails)
    .where(eq(mails.toEmail, email))
    .orderBy(desc(mails.id))
    .limit(limit);
}
