import type { SQL } from 'drizzle-orm';
import type { Executor } from '@expe/server-kit';

/**
 * Runs a raw statement and returns its rows. Both drivers (node-postgres and PGlite) answer with
 * `{ rows }`; the shared Database type just does not say so.
 */
export async function queryRows<T>(db: Executor, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}
