import { and, asc, count, eq, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import { selectPage, type Executor, type Page, type PageRequest } from '@expe/server-kit';
import { projects } from './schema.js';

export type ProjectRow = typeof projects.$inferSelect;
export type NewProjectRow = typeof projects.$inferInsert;

const isLiveProjectOf = (merchantId: string, projectId: string) =>
  and(eq(projects.id, projectId), eq(projects.merchantId, merchantId), isNull(projects.deletedAt));

/** A project that belongs to the merchant and is not deleted. */
export async function findLiveProject(
  db: Executor,
  merchantId: string,
  projectId: string,
  options: { forUpdate?: boolean } = {},
): Promise<ProjectRow | undefined> {
  const query = db.select().from(projects).where(isLiveProjectOf(merchantId, projectId));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

export async function countLiveProjects(db: Executor, merchantId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(projects)
    .where(and(eq(projects.merchantId, merchantId), isNull(projects.deletedAt)));
  return row?.n ?? 0;
}

export async function insertProject(db: Executor, values: NewProjectRow): Promise<ProjectRow> {
  const [row] = await db.insert(projects).values(values).returning();
  if (!row) throw new Error('insert into projects returned no row');
  return row;
}

export async function listLiveProjects(
  db: Executor,
  merchantId: string,
  page: PageRequest,
): Promise<Page<ProjectRow>> {
  return selectPage(
    db,
    projects,
    page,
    eq(projects.merchantId, merchantId),
    isNull(projects.deletedAt),
  );
}

export async function renameLiveProject(
  db: Executor,
  merchantId: string,
  projectId: string,
  name: string,
  now: Date,
): Promise<ProjectRow | undefined> {
  const [row] = await db
    .update(projects)
    .set({ name, updatedAt: now })
    .where(isLiveProjectOf(merchantId, projectId))
    .returning();
  return row;
}

export async function softDeleteLiveProject(
  db: Executor,
  merchantId: string,
  projectId: string,
  now: Date,
): Promise<ProjectRow | undefined> {
  const nowValue = sql`${now.toISOString()}::timestamptz`;
  const [row] = await db
    .update(projects)
    // A sandbox deleted early ends now, so payments archives its test data as at its end.
    .set({
      deletedAt: now,
      updatedAt: now,
      expiresAt: sql`case when ${projects.expiresAt} is null then null
        else least(${projects.expiresAt}, ${nowValue}) end`,
    })
    .where(isLiveProjectOf(merchantId, projectId))
    .returning();
  return row;
}

/** Sandboxes past their end whose test data payments has not archived yet, oldest end first. */
// unscoped: the archiver's sweep over every merchant's ended sandboxes.
export async function listEndedUnarchivedProjects(
  db: Executor,
  now: Date,
  limit: number,
): Promise<ProjectRow[]> {
  return db
    .select()
    .from(projects)
    .where(
      and(isNotNull(projects.expiresAt), isNull(projects.archivedAt), lte(projects.expiresAt, now)),
    )
    .orderBy(asc(projects.expiresAt), asc(projects.id))
    .limit(limit);
}

/**
 * Marks an ended sandbox archived (and deleted, if it was not yet): its keys are already
 * refused; nothing of it is listed any more. Undefined when it is not an ended sandbox.
 */
export async function markSandboxArchived(
  db: Executor,
  projectId: string,
  now: Date,
): Promise<ProjectRow | undefined> {
  const [row] = await db
    .update(projects)
    .set({
      archivedAt: now,
      updatedAt: now,
      deletedAt: sql`coalesce(${projects.deletedAt}, ${now.toISOString()}::timestamptz)`,
    })
    .where(
      and(
        eq(projects.id, projectId),
        isNotNull(projects.expiresAt),
        isNull(projects.archivedAt),
        lte(projects.expiresAt, now),
      ),
    )
    .returning();
  return row;
}
