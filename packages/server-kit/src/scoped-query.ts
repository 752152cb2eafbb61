// The queries every repository of a project-scoped table repeats: the scope's filter, a scoped
// insert, one page of a list.
import { and, eq, getTableName, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { pageQuery, toPage, type Page, type PageRequest } from './pagination.js';
import type { Scope } from './scope.js';
import type { Executor } from './transaction.js';

/** A table listed by cursor: its ids are time-sortable (ULIDs). */
export type PagedTable = PgTable & { id: PgColumn };
/** A table of merchant objects: every row belongs to one project in one mode. */
export type ScopedTable = PagedTable & { projectId: PgColumn; mode: PgColumn };

/**
 * A new scoped row as a use case describes it: without its owner, project and mode, which the
 * repository takes from the `Scope` (issue 19), so no insert can name another project.
 */
export type Unscoped<Row> = Omit<Row, 'merchantId' | 'projectId' | 'mode'>;

/** The columns every scoped row gets from its scope. */
export function scopeColumns(scope: Scope) {
  return { merchantId: scope.merchantId, projectId: scope.projectId, mode: scope.mode };
}

/** The rows of `table` that `scope` may see: its project, its mode. */
export function inScope(table: ScopedTable, scope: Scope): SQL {
  return and(eq(table.projectId, scope.projectId), eq(table.mode, scope.mode)) as SQL;
}

/** Inserts one row of a scoped table, its owner, project and mode taken from `scope`. */
export async function insertScoped<T extends ScopedTable>(
  db: Executor,
  table: T,
  scope: Scope,
  values: Unscoped<T['$inferInsert']>,
): Promise<T['$inferSelect']> {
  const [row] = (await db
    .insert(table)
    .values({ ...values, ...scopeColumns(scope) } as T['$inferInsert'])
    .returning()) as T['$inferSelect'][];
  if (!row) throw new Error(`${getTableName(table)} insert returned nothing`);
  return row;
}

/**
 * The row of `table` with this id if `scope` may see it and it meets `where`; with `lock`, locked
 * (`FOR UPDATE`) so concurrent changes of the row queue one after the other.
 */
export async function findScopedRow<T extends ScopedTable>(
  db: Executor,
  table: T,
  scope: Scope,
  id: string,
  options: { lock?: boolean; where?: SQL } = {},
): Promise<T['$inferSelect'] | undefined> {
  const from: PgTable = table; // drizzle's from() cannot check a generic table
  const query = db
    .select()
    .from(from)
    .where(and(eq(table.id, id), inScope(table, scope), options.where));
  const [row] = (options.lock ? await query.for('update') : await query) as T['$inferSelect'][];
  return row;
}

/** Changes the row of `table` with this id in `scope`, which the caller has read (and locked). */
export async function updateScopedRow<T extends ScopedTable>(
  db: Executor,
  table: T,
  scope: Scope,
  id: string,
  changes: Partial<Unscoped<T['$inferInsert']>>,
): Promise<T['$inferSelect']> {
  const [row] = (await db
    .update(table as PgTable)
    .set(changes)
    .where(and(eq(table.id, id), inScope(table, scope)))
    .returning()) as T['$inferSelect'][];
  if (!row) throw new Error(`${getTableName(table)} ${id} vanished while locked`);
  return row;
}

/**
 * One page of `table`'s rows that match every condition, newest first (`pageQuery`, `toPage`).
 * For a scoped table use `listScopedPage`; this one is for lists already narrowed to one parent
 * read in its scope, or to tables without a project.
 */
export async function selectPage<T extends PagedTable>(
  db: Executor,
  table: T,
  page: PageRequest,
  ...conditions: (SQL | undefined)[]
): Promise<Page<T['$inferSelect']>> {
  const { cursor, orderBy, fetch } = pageQuery(table.id, page);
  const from: PgTable = table; // drizzle's from() cannot check a generic table
  const rows = (await db
    .select()
    .from(from)
    .where(and(...conditions, cursor))
    .orderBy(orderBy)
    .limit(fetch)) as T['$inferSelect'][];
  return toPage(rows, page);
}

/**
 * One page of a scoped table's rows in `scope`, newest first, narrowed by `filters` (an
 * `undefined` filter is no filter). The scope is a parameter, not a condition to remember.
 */
export function listScopedPage<T extends ScopedTable>(
  db: Executor,
  table: T,
  scope: Scope,
  page: PageRequest,
  ...filters: (SQL | undefined)[]
): Promise<Page<T['$inferSelect']>> {
  return selectPage(db, table, page, inScope(table, scope), ...filters);
}

/**
 * The insert and the by-id read (and change) a repository of a scoped table offers, bound to
 * `table`, so a repository names them instead of writing each wrapper out:
 * `export const { insert: insertPayout, find: findScopedPayout } = scopedRows(payouts);`.
 */
export function scopedRows<T extends ScopedTable>(table: T) {
  return {
    /** {@link insertScoped}: a new row, its owner, project and mode from `scope`. */
    insert: (
      db: Executor,
      scope: Scope,
      values: Unscoped<T['$inferInsert']>,
    ): Promise<T['$inferSelect']> => insertScoped(db, table, scope, values),
    /** {@link findScopedRow}: the row with this id if `scope` may see it; `lock` locks it. */
    find: (
      db: Executor,
      scope: Scope,
      id: string,
      options: { lock?: boolean; where?: SQL } = {},
    ): Promise<T['$inferSelect'] | undefined> => findScopedRow(db, table, scope, id, options),
    /** {@link updateScopedRow}: changes the row the caller has read (and locked) in `scope`. */
    update: (
      db: Executor,
      scope: Scope,
      id: string,
      changes: Partial<Unscoped<T['$inferInsert']>>,
    ): Promise<T['$inferSelect']> => updateScopedRow(db, table, scope, id, changes),
  };
}
