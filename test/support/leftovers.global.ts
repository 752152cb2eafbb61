/**
 * Vitest globalSetup: a test run must leave the shared machine as it found it. Before the first
 * file it notes what the shared PostgreSQL, the shared Redis and the process table hold; after the
 * last it lists what appeared and stayed:
 *
 * - databases named `expe_*` (every test database comes from `createTestDatabase`);
 * - Redis keys (tests write under `createTestRedisPrefix`'s `expe-test:` prefixes);
 * - orphaned processes started during the run (a service, an embedded PostgreSQL or a control
 *   plane whose test forgot to stop it is re-parented to init).
 *
 * The label in a database's name or a key's prefix names the test that left it. Under CI (or
 * `EXPE_TEST_LEFTOVERS=fail`) leftovers fail the run; on a developer's machine, where other work
 * may share PostgreSQL and Redis, they are printed as a warning.
 */
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { Redis } from 'ioredis';
import { testPostgresUrl, testRedisUrl } from '@expe/testing';

const shown = 20;

interface Snapshot {
  databases: Set<string>;
  redisKeys: Set<string>;
  pids: Set<number>;
}

// Each project of the run imports this file; the first import does the work for the whole run.
const runKey = Symbol.for('expe.test.leftovers');
type RunState = { users: number; before?: Promise<Snapshot>; reported?: string };
const run = ((globalThis as Record<symbol, RunState>)[runKey] ??= { users: 0 });

export default async function setup() {
  run.users += 1;
  run.before ??= snapshot();
  await run.before;
  return async () => {
    run.users -= 1;
    if (run.users > 0) return;
    const before = await run.before!;
    const report = describeLeftovers(before, await snapshot());
    if (report.length === 0) return;
    const message = `The test run left shared state behind:\n${report.join('\n')}`;
    // Projects may end one after another, each with its teardown: say the same thing once.
    if (message === run.reported) return;
    run.reported = message;
    const isEnforced = process.env.EXPE_TEST_LEFTOVERS === 'fail' || isCi();
    if (!isEnforced) {
      process.stderr.write(`${message}\n(a warning here; CI fails on it)\n`);
      return;
    }
    // Vitest reports an error thrown here but still exits 0: the exit code is set instead.
    process.stderr.write(`${message}\n`);
    process.exitCode = 1;
  };
}

function isCi(): boolean {
  const value = process.env.CI;
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

async function snapshot(): Promise<Snapshot> {
  const [databases, redisKeys] = await Promise.all([listDatabases(), listRedisKeys()]);
  return { databases, redisKeys, pids: new Set(listOrphans().map((p) => p.pid)) };
}

function describeLeftovers(before: Snapshot, after: Snapshot): string[] {
  const lines: string[] = [];
  const databases = [...after.databases].filter((name) => !before.databases.has(name));
  if (databases.length > 0) {
    lines.push(`- ${databases.length} PostgreSQL database(s): ${sample(databases)}`);
  }
  const keys = [...after.redisKeys].filter((key) => !before.redisKeys.has(key));
  if (keys.length > 0) lines.push(`- ${keys.length} Redis key(s): ${sample(keys)}`);
  const orphans = listOrphans().filter((p) => !before.pids.has(p.pid) && p.startedAfterUs);
  if (orphans.length > 0) {
    lines.push(
      `- ${orphans.length} orphaned process(es): ${sample(orphans.map((p) => `${p.pid} ${p.command}`))}`,
    );
  }
  return lines;
}

function sample(items: string[]): string {
  const sorted = [...items].sort();
  const more = sorted.length > shown ? `, … and ${sorted.length - shown} more` : '';
  return sorted.slice(0, shown).join(', ') + more;
}

async function listDatabases(): Promise<Set<string>> {
  const client = new pg.Client({ connectionString: testPostgresUrl });
  await client.connect();
  try {
    const result = await client.query<{ datname: string }>(
      `select datname from pg_database where datname like 'expe\\_%'`,
    );
    return new Set(result.rows.map((row) => row.datname));
  } finally {
    await client.end();
  }
}

async function listRedisKeys(): Promise<Set<string>> {
  const redis = new Redis(testRedisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const keys = new Set<string>();
  try {
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'COUNT', 1000);
      cursor = next;
      for (const key of batch) keys.add(key);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return keys;
}

interface Orphan {
  pid: number;
  command: string;
  startedAfterUs: boolean;
}

/**
 * Processes re-parented to init (parent 1) that started after this Vitest process did: what a
 * test spawned and did not stop. Linux only (/proc); elsewhere nothing is listed.
 */
function listOrphans(): Orphan[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const ourStart = startTicks(process.pid);
  if (ourStart === undefined) return [];
  const orphans: Orphan[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    const stat = readStat(pid);
    // A zombie is already gone but for its exit status.
    if (!stat || stat.ppid !== 1 || stat.state === 'Z') continue;
    orphans.push({ pid, command: commandOf(pid), startedAfterUs: stat.startTicks > ourStart });
  }
  return orphans;
}

function readStat(pid: number): { state: string; ppid: number; startTicks: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command sits in parentheses and may hold spaces: the fields follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', ppid: Number(fields[1]), startTicks: Number(fields[19]) };
  } catch {
    return undefined;
  }
}

function startTicks(pid: number): number | undefined {
  return readStat(pid)?.startTicks;
}

function commandOf(pid: number): string {
  try {
    const line = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return line.length > 120 ? `${line.slice(0, 117)}…` : line;
  } catch {
    return '?';
  }
}
