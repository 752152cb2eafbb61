import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '@expe/server-kit';

/**
 * Data-migration tests start from a database as the previous version left it: the service's
 * migrations up to and including one tag, rows written as that version wrote them, then the
 * new migrations on top.
 */
interface Journal {
  entries: { idx: number; tag: string }[];
}

/**
 * A copy of a migrations folder as a previous version shipped it: every migration of the journal
 * up to and including `lastTag`. `remove()` deletes the copy.
 */
export function migrationsUpTo(
  migrationsFolder: string,
  lastTag: string,
): { folder: string; remove(): void } {
  const folder = mkdtempSync(join(tmpdir(), 'expe-migrations-'));
  const journal = JSON.parse(
    readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8'),
  ) as Journal;
  const last = journal.entries.findIndex((entry) => entry.tag === lastTag);
  if (last < 0) throw new Error(`no migration ${lastTag} in ${migrationsFolder}`);
  const entries = journal.entries.slice(0, last + 1);
  for (const entry of entries) {
    copyFileSync(join(migrationsFolder, `${entry.tag}.sql`), join(folder, `${entry.tag}.sql`));
  }
  mkdirSync(join(folder, 'meta'));
  writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/** Runs the migrations of `folder` into `schema`, as the service does at start. */
export async function migrateDatabase(url: string, folder: string, schema: string): Promise<void> {
  const handle = openDatabase({ url, maxConnections: 1 });
  try {
    await handle.migrate({ folder, schema });
  } finally {
    await handle.close();
  }
}

/** One statement on its own connection: rows as plain objects. */
export async function queryRows(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/**
 * `merchants.projects` as the merchants service keeps it: the table every service's project
 * migration reads to find a merchant's first project (ADR 0010).
 */
export const merchantsProjectsTableSql = `create schema if not exists merchants;
  create table if not exists merchants.projects (
    id text primary key, merchant_id text not null, name text not null,
    created_at timestamptz not null default now(), updated_at timestamptz not null default now(),
    deleted_at timestamptz)`;

/** A project row in `merchants.projects` (see `merchantsProjectsTableSql`), named after its id. */
export async function insertMerchantsProject(
  url: string,
  id: string,
  merchantId: string,
  createdAt: string,
  deletedAt: string | null = null,
): Promise<void> {
  await queryRows(
    url,
    `insert into merchants.projects (id, merchant_id, name, created_at, deleted_at)
       values ($1, $2, $1, $3, $4)`,
    [id, merchantId, createdAt, deletedAt],
  );
}

/** A table's `project_id` column as `information_schema.columns` describes it. */
export interface ProjectIdColumn {
  table_name: string;
  is_nullable: 'YES' | 'NO';
}

/**
 * The tables of `schema` that have a `project_id` column, by table name, with whether it may be
 * null: what a service's project-migration test reads before and after the migration (none
 * before, or after a migration that stopped; every scoped table after one that ran).
 */
export async function projectIdColumns(url: string, schema: string): Promise<ProjectIdColumn[]> {
  const rows = await queryRows(
    url,
    `select table_name, is_nullable from information_schema.columns
      where table_schema = $1 and column_name = 'project_id' order by table_name`,
    [schema],
  );
  return rows as unknown as ProjectIdColumn[];
}

/**
 * Projects of two merchants that exercise a project migration's first-project rule (ADR 0010):
 * `mer_a`'s oldest project was deleted and two of the rest were made in the same instant, so
 * its first is `prj_a_first` (the smaller id); every project of `mer_b` is deleted, so its
 * first is its oldest, `prj_b_old`.
 */
export async function insertFirstProjectCases(url: string): Promise<void> {
  await insertMerchantsProject(
    url,
    'prj_a_deleted',
    'mer_a',
    '2026-01-01T00:00:00Z',
    '2026-02-01T00:00:00Z',
  );
  await insertMerchantsProject(url, 'prj_a_second', 'mer_a', '2026-01-02T00:00:00Z');
  await insertMerchantsProject(url, 'prj_a_first', 'mer_a', '2026-01-02T00:00:00Z');
  await insertMerchantsProject(url, 'prj_a_newest', 'mer_a', '2026-03-01T00:00:00Z');
  await insertMerchantsProject(
    url,
    'prj_b_old',
    'mer_b',
    '2026-01-01T00:00:00Z',
    '2026-05-01T00:00:00Z',
  );
  await insertMerchantsProject(
    url,
    'prj_b_new',
    'mer_b',
    '2026-02-01T00:00:00Z',
    '2026-05-01T00:00:00Z',
  );
}
