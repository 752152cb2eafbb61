import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '@expe/server-kit';
import { queryRows } from '../../db/raw.js';
import { accounts, idempotencyKeys, payments } from '../../db/schema.js';

/**
 * The payments tables that belong to a project, read from the database's own catalog (every
 * table with a `project_id` column), so a table added by a later migration is part of a reset
 * without anyone remembering to list it. A table says which mode a row is in by `mode`
 * (`'test'`/`'live'`; every table since migration 0013 turned `events.livemode` into `mode`); a
 * table without it holds one row per project and needs a decision of its own
 * (`projectOnlyTables`).
 */
interface ProjectTable {
  table_name: string;
  has_mode: boolean;
}

/**
 * Tables with a `project_id` and no mode: what a reset does with each. A new one that is not
 * listed here makes every reset fail, loudly, until someone decides.
 */
export const projectOnlyTables: Record<string, 'delete' | 'keep'> = {
  /** The project's test clock: a reset puts it back to real time. */
  test_clocks: 'delete',
  /** Payout schedule and settings of the project: configuration, not test data. */
  balance_settings: 'keep',
};

/**
 * Moves every test-mode row of a project to `archivedProjectId` (a project no key acts in): rows
 * are detached, never deleted, so append-only money rows keep balancing. Tables whose only tie
 * to the project is the project itself follow `projectOnlyTables`.
 */
// unscoped: a reset acts on every table of the one project it is given, by the catalog.
export async function archiveProjectTestRows(
  tx: Executor,
  { projectId, archivedProjectId }: { projectId: string; archivedProjectId: string },
): Promise<void> {
  const tables = await queryRows<ProjectTable>(
    tx,
    sql`select table_name, bool_or(column_name = 'mode') as has_mode
          from information_schema.columns
         where table_schema = 'payments'
         group by table_name
        having bool_or(column_name = 'project_id')
         order by table_name`,
  );
  for (const { table_name: name, has_mode: hasMode } of tables) {
    const table = sql`${sql.identifier('payments')}.${sql.identifier(name)}`;
    if (hasMode) {
      await tx.execute(
        sql`update ${table} set project_id = ${archivedProjectId}
             where project_id = ${projectId} and mode = 'test'`,
      );
      continue;
    }
    const decision = projectOnlyTables[name];
    if (decision === undefined) {
      throw new Error(
        `payments.${name} has a project_id but no mode column: add it to projectOnlyTables (project-test-rows.ts) with what a reset does to it`,
      );
    }
    if (decision === 'delete') {
      await tx.execute(sql`delete from ${table} where project_id = ${projectId}`);
    }
  }
}

/**
 * The project's test balances (available, pending) move to the archived project: their owner is
 * the project, not a `project_id` column, so the catalog sweep does not see them.
 */
export async function archiveProjectTestBalances(
  tx: Executor,
  { projectId, archivedProjectId }: { projectId: string; archivedProjectId: string },
): Promise<void> {
  await tx
    .update(accounts)
    .set({ ownerId: archivedProjectId })
    .where(
      and(
        eq(accounts.ownerId, projectId),
        eq(accounts.mode, 'test'),
        sql`${accounts.type} in ('merchant', 'merchant_pending')`,
      ),
    );
}

/** The project's test-mode Idempotency-Keys: a replay after a reset runs anew. */
export async function deleteProjectTestIdempotencyKeys(
  tx: Executor,
  { projectId }: { projectId: string },
): Promise<void> {
  await tx.delete(idempotencyKeys).where(eq(idempotencyKeys.scope, `project:${projectId}:test`));
}

/** The project's test authorizations still holding a payer's money. */
export async function listHeldTestPaymentIds(
  tx: Executor,
  { projectId }: { projectId: string },
): Promise<string[]> {
  const rows = await tx
    .select({ id: payments.id })
    .from(payments)
    .where(
      and(
        eq(payments.projectId, projectId),
        eq(payments.mode, 'test'),
        eq(payments.status, 'requires_capture'),
      ),
    );
  return rows.map((row) => row.id);
}
