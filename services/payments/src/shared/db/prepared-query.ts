import type { Database } from '@expe/server-kit';

/** A statement the hot path runs many times: parsed and planned once per connection. */
export interface PreparedStatement {
  /** Unique per statement text: node-postgres keeps one server-side statement per name. */
  name: string;
  text: string;
}

interface NamedQueryClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

interface PositionalQueryClient {
  query(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
  /** Only PGlite has it; node-postgres' pool does not. */
  waitReady: Promise<void>;
}

/**
 * Runs a statement of the hot path as a named prepared statement straight on the driver, outside
 * any transaction (the statement is its own): no query building by drizzle per call, and
 * PostgreSQL parses and plans it once per connection (issue 23: drizzle's query building was
 * ~15 % of payments' busy time). On PGlite (one process, no pool) it is an ordinary
 * parameterized query. Values go as the driver sends them: strings, numbers, null.
 */
export async function queryPrepared<T>(
  db: Database,
  statement: PreparedStatement,
  values: unknown[],
): Promise<T[]> {
  const client = (db as { $client?: unknown }).$client;
  if (!client) throw new Error(`${statement.name}: the database handle has no driver client`);
  if (typeof client === 'object' && 'waitReady' in client) {
    const result = await (client as PositionalQueryClient).query(statement.text, values);
    return result.rows as T[];
  }
  const result = await (client as NamedQueryClient).query({ ...statement, values });
  return result.rows as T[];
}
