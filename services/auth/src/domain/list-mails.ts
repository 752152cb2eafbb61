import { listMailsTo } from '../db/mail-repository.js';
import type { MailRow } from '../db/schema.js';
import type { AuthContext } from './context.js';

export async function listMails(
  ctx: AuthContext,
  query: { email: string; limit: number },
): Promise<{ mails: MailRow[]; hasMore: boolean }> {
  const rows = await listMailsTo(ctx.db, query.email, query.limit + 1);
  return { mails: rows.slice(0, query.limit), hasMore: rows.length > query.limit };
}
