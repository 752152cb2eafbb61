import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '@expe/server-kit';
import { testClocks, type Mode } from '../../db/schema.js';

/**
 * Whose time it is: the "project clock" of, one per project for its test mode; live
 * mode always runs on real time. A `Scope` is one, and so is any scoped row.
 */
export interface ClockScope {
  projectId: string;
  mode: Mode;
}

/** How far the project's test clock has been moved ahead of real time, in seconds. */
export async function readOffsetSeconds(
  db: Executor,
  scope: Pick<ClockScope, 'projectId'>,
): Promise<number> {
  // Only test mode has a clock row (one per project): the mode is the caller's check.
  const [row] = await db
    .select({ offsetSeconds: testClocks.offsetSeconds })
    .from(testClocks)
    .where(eq(testClocks.projectId, scope.projectId));
  return row?.offsetSeconds ?? 0;
}

/**
 * Which due work to look at. With `scope`, only that project's and mode's rows (the clock was
 * just advanced); without, every project's, each by its own clock (the background scheduler).
 */
export interface DueAt {
  realNow: Date;
  scope?: ClockScope | undefined;
}

/**
 * SQL condition: the time in `column` has come by the clock of the row's project and mode,
 * i.e. `column <= realNow + (test mode ? that project's offset : 0)`, and, when `at.scope` is
 * set, the row belongs to that project and mode. Use it in the WHERE of a due-work query.
 */
export function dueSql(
  column: AnyPgColumn,
  projectIdColumn: AnyPgColumn,
  modeColumn: AnyPgColumn,
  at: DueAt,
): SQL {
  const realNow = at.realNow.toISOString();
  const due = sql`${column} <= ${realNow}::timestamptz + make_interval(secs => case when ${modeColumn} = 'test' then coalesce((select c.offset_seconds from payments.test_clocks c where c.project_id = ${projectIdColumn}), 0) else 0 end)`;
  if (!at.scope) return due;
  return and(due, eq(projectIdColumn, at.scope.projectId), eq(modeColumn, at.scope.mode))!;
}

/** Moves the project's test clock `seconds` ahead (its row is made on the first advance). */
export async function advanceTestClockOffset(
  tx: Executor,
  scope: { projectId: string; merchantId: string },
  seconds: number,
): Promise<number> {
  const [row] = await tx
    .insert(testClocks)
    .values({ projectId: scope.projectId, merchantId: scope.merchantId, offsetSeconds: seconds })
    .onConflictDoUpdate({
      target: testClocks.projectId,
      set: { offsetSeconds: sql`${testClocks.offsetSeconds} + ${seconds}`, updatedAt: new Date() },
    })
    .returning({ offsetSeconds: testClocks.offsetSeconds });
  return row?.offsetSeconds ?? seconds;
}
