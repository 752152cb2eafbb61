import { getTableColumns, type SQL, type Table } from 'drizzle-orm';
import type { Executor } from '@expe/server-kit';

/**
 * Runs a raw statement and returns its rows. Both drivers (node-postgres and PGlite) answer with
 * `{ rows }`; the shared Database type just does not say so.
 */
export async function queryRows<T>(db: Executor, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}

/**
 * A row the service built, as `jsonb_populate_record` reads it in the SQL functions that write
 * several rows in one call: column names, dates as ISO strings, fields left undefined left out.
 */
// unscoped: maps the fields of one row the caller built to column names; queries nothing.
export function columnsJson(table: Table, values: object): string {
  const row: Record<string, unknown> = {};
  for (const [field, column] of columnNamesOf(table)) {
    const value = (values as Record<string, unknown>)[field];
    if (value === undefined) continue;
    row[column] = value instanceof Date ? value.toISOString() : value;
  }
  return JSON.stringify(row);
}

const columnNames = new Map<Table, [string, string][]>();

/** Field and column name pairs of a table, worked out once (not per row). */
// unscoped: reads a table's column names; queries nothing.
function columnNamesOf(table: Table): [string, string][] {
  let names = columnNames.get(table);
  if (!names) {
    const columns: Record<string, { name: string }> = getTableColumns(table);
    names = Object.entries(columns).map(([field, column]) => [field, column.name]);
    columnNames.set(table, names);
  }
  return names;
}
