import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, migrateDatabase, queryRows, type TestDatabase } from '@expe/testing';

/**
 * Each service's database has three descriptions: the SQL migrations (what every database runs),
 * the drizzle schema in src/db (what queries are typed against) and drizzle-kit's snapshots in
 * migrations/meta (what `npm run db:generate` diffs against). This file checks they agree:
 *
 * - the newest snapshot is the schema, so `drizzle-kit generate` writes nothing until the
 *   schema changes, and then only that change;
 * - a database built by the migrations has the same tables, columns, defaults, constraints and
 *   indexes as one built from the schema. PostgreSQL itself prints both sides
 *   (`format_type`, `pg_get_constraintdef`, `pg_get_indexdef`), so a check written differently
 *   in SQL and in TypeScript compares equal when PostgreSQL reads it the same way.
 *
 * Functions and triggers live in the migrations only (drizzle cannot declare them) and are not
 * compared.
 */

type Snapshot = Parameters<typeof generateMigration>[0];

const root = fileURLToPath(new URL('..', import.meta.url));
const services = readdirSync(join(root, 'services'))
  .filter((name) => readdirSync(join(root, 'services', name)).includes('drizzle.config.ts'))
  .sort();
// The order the services migrate in a shared database: payments' project backfill reads
// merchants.projects.
const migrationOrder = ['auth', 'merchants', 'payments', 'webhooks'];

interface DrizzleConfig {
  schema: string | string[];
  out: string;
  schemaFilter: string[];
}

async function loadConfig(service: string): Promise<DrizzleConfig> {
  const url = pathToFileURL(join(root, 'services', service, 'drizzle.config.ts')).href;
  return ((await import(url)) as { default: DrizzleConfig }).default;
}

/** The files drizzle-kit reads: paths, or `dir/*suffix` patterns, relative to the service. */
function schemaFiles(service: string, config: DrizzleConfig): string[] {
  const patterns = Array.isArray(config.schema) ? config.schema : [config.schema];
  return patterns.flatMap((pattern) => {
    const path = join(root, 'services', service, pattern);
    const name = basename(path);
    if (!name.includes('*')) return [path];
    if (!/^\*[^*]+$/.test(name)) throw new Error(`unsupported schema pattern ${pattern}`);
    const suffix = name.slice(1);
    return readdirSync(dirname(path))
      .filter((file) => file.endsWith(suffix))
      .map((file) => join(dirname(path), file));
  });
}

/** The schema as drizzle-kit serializes it for `generate`. */
async function schemaSnapshot(service: string): Promise<Snapshot> {
  const config = await loadConfig(service);
  const imports: Record<string, unknown> = {};
  for (const file of schemaFiles(service, config)) {
    Object.assign(imports, await import(pathToFileURL(file).href));
  }
  return generateDrizzleJson(imports, undefined, config.schemaFilter);
}

function metaFolder(service: string): string {
  return join(root, 'services', service, 'migrations', 'meta');
}

function committedSnapshots(service: string): string[] {
  return readdirSync(metaFolder(service))
    .filter((file) => file.endsWith('_snapshot.json'))
    .sort();
}

const emptySnapshot = {
  id: '00000000-0000-0000-0000-000000000000',
  prevId: '',
  version: '7',
  dialect: 'postgresql',
  tables: {},
  enums: {},
  schemas: {},
  sequences: {},
  roles: {},
  policies: {},
  views: {},
  _meta: { schemas: {}, tables: {}, columns: {} },
} as unknown as Snapshot;

/** One readable line per row, so a failure shows the differing definitions side by side. */
function lines(rows: Record<string, unknown>[]): string[] {
  return rows.map((row) => Object.values(row).join(' | '));
}

const catalogQueries = {
  tables: `
    select c.relname
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = $1 and c.relkind in ('r', 'p', 'v', 'm')
    order by 1`,
  columns: `
    select c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
      case when a.attnotnull then 'not null' else 'null' end,
      coalesce(pg_get_expr(d.adbin, d.adrelid), '-'), a.attidentity, a.attgenerated
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where n.nspname = $1 and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
    order by 1, 2`,
  constraints: `
    select c.relname, k.conname, pg_get_constraintdef(k.oid)
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    join pg_namespace n on n.oid = c.relnamespace
    -- Constraint triggers (the ledger's balance checks) are SQL only, like every trigger.
    where n.nspname = $1 and k.contype <> 't'
    order by 1, 2`,
  indexes: `
    select tablename, indexname, indexdef
    from pg_indexes
    where schemaname = $1
    order by 1, 2`,
};

describe.each(services)('%s: drizzle-kit snapshots', (service) => {
  it('when drizzle-kit generate diffs the schema against the newest snapshot, then it finds nothing to write', async () => {
    const files = committedSnapshots(service);
    const newest = files.at(-1);
    expect(newest, 'migrations/meta has no snapshot').toBeDefined();
    const committed = JSON.parse(
      readFileSync(join(metaFolder(service), newest!), 'utf8'),
    ) as Snapshot;

    const statements = await generateMigration(committed, await schemaSnapshot(service));

    expect(statements, `run npm run db:generate -w @expe/${service}`).toEqual([]);
  });

  it('when the snapshots are read in file order, then each names the previous one as its parent', () => {
    const ids = committedSnapshots(service).map((file) => {
      const { id, prevId } = JSON.parse(readFileSync(join(metaFolder(service), file), 'utf8')) as {
        id: string;
        prevId: string;
      };
      return { file, id, prevId };
    });

    const parents = ids.slice(1).map(({ file, prevId }) => ({ file, prevId }));
    expect(parents).toEqual(ids.slice(1).map(({ file }, i) => ({ file, prevId: ids[i]!.id })));
  });

  it('when the journal is read, then it lists exactly the SQL files of the folder, newest last', () => {
    const journal = JSON.parse(
      readFileSync(join(metaFolder(service), '_journal.json'), 'utf8'),
    ) as {
      entries: { idx: number; tag: string; when: number }[];
    };
    const sqlFiles = readdirSync(dirname(metaFolder(service)))
      .filter((file) => file.endsWith('.sql'))
      .map((file) => file.slice(0, -'.sql'.length))
      .sort();

    expect(journal.entries.map((entry) => entry.tag).sort()).toEqual(sqlFiles);
    // The migrator runs an entry only when its `when` is later than the newest one applied, so a
    // new entry must come after every other (payments' 0007/0008 are out of order, and stay so:
    // CONTRIBUTING.md, "Change a database schema").
    const newest = journal.entries.at(-1)!;
    const latestBefore = Math.max(...journal.entries.slice(0, -1).map((entry) => entry.when));
    expect(
      newest.when,
      `${newest.tag}: set its "when" in meta/_journal.json later than ${latestBefore}`,
    ).toBeGreaterThan(latestBefore);
  });
});

describe('the migrated database and the drizzle schemas', () => {
  let migrated: TestDatabase;
  let declared: TestDatabase;

  beforeAll(async () => {
    [migrated, declared] = await Promise.all([
      createTestDatabase('schema_drift_migrated'),
      createTestDatabase('schema_drift_declared'),
    ]);
    for (const service of migrationOrder) {
      await migrateDatabase(migrated.url, join(root, 'services', service, 'migrations'), service);
    }
    for (const service of services) {
      const statements = await generateMigration(emptySnapshot, await schemaSnapshot(service));
      await queryRows(declared.url, statements.join(';\n'));
    }
  });

  afterAll(async () => {
    await Promise.all([migrated?.drop(), declared?.drop()]);
  });

  it('when every service is listed, then every one migrates in the shared order', () => {
    expect([...migrationOrder].sort()).toEqual(services);
  });

  describe.each(services)('%s', (service) => {
    it.each(Object.keys(catalogQueries))(
      'when the %s of both databases are listed, then they are the same',
      async (kind) => {
        const query = catalogQueries[kind as keyof typeof catalogQueries];
        const [fromMigrations, fromSchema] = await Promise.all([
          queryRows(migrated.url, query, [service]),
          queryRows(declared.url, query, [service]),
        ]);

        expect(lines(fromSchema)).toEqual(lines(fromMigrations));
      },
    );
  });
});
