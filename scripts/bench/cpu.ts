// CPU accounting for the benchmark (issue 23): each process's user + system time from
// /proc/<pid>/stat, read before and after a scenario and divided by the requests it completed.
// CPU time is far steadier than wall-clock throughput on a shared machine, so it is the figure
// to judge a change by.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { Redis } from 'ioredis';

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

interface ProcStat {
  ppid: number;
  /** utime + stime, in ms. */
  own: number;
  /** cutime + cstime (children it has reaped), in ms. */
  reaped: number;
}

/** Fields of /proc/<pid>/stat after the command name, which may itself hold spaces. */
function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17.
  const tick = (index: number) => (Number(fields[index - 3]) * 1000) / ticksPerSecond;
  return { ppid: Number(fields[1]), own: tick(14) + tick(15), reaped: tick(16) + tick(17) };
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/**
 * What a row of the table counts. `read` returns CPU ms per process id (so that a process that
 * was replaced during a scenario, such as a restarted service, starts from zero).
 */
export interface CpuSource {
  name: string;
  read(): Promise<Map<string, number>> | Map<string, number>;
  /**
   * A process that ended between two reads had its time added to another process of the same
   * source (PostgreSQL's postmaster reaps its backends): its earlier reading is subtracted.
   */
  isReapedWithin?: boolean;
}

/** One process; with `includeReaped`, also the children it started and waited for. */
export function processSource(
  name: string,
  pid: () => number | undefined,
  includeReaped = true,
): CpuSource {
  return {
    name,
    read() {
      const id = pid();
      const stat = id ? procStat(id) : undefined;
      return new Map(
        stat && id ? [[String(id), stat.own + (includeReaped ? stat.reaped : 0)]] : [],
      );
    },
  };
}

/**
 * Every process of the PostgreSQL cluster behind `url`: the postmaster (with the backends it
 * has reaped: connections that ended) and its live children (backends, checkpointer, WAL
 * writer, autovacuum). Other clients of the same cluster are counted too: on a shared server
 * read it with the bench database's own row beside it.
 */
export async function postgresClusterSource(url: string): Promise<CpuSource> {
  const client = new pg.Client({ connectionString: url, application_name: 'expe-bench-cpu' });
  await client.connect();
  let postmaster: number | undefined;
  try {
    const result = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    // Read while the backend lives: its parent is the postmaster.
    postmaster = procStat(result.rows[0]!.pid)?.ppid;
  } finally {
    await client.end();
  }
  if (!postmaster) throw new Error('cannot find the PostgreSQL postmaster in /proc');
  return {
    name: 'PostgreSQL (cluster)',
    isReapedWithin: true,
    read() {
      const times = new Map<string, number>();
      const main = procStat(postmaster);
      if (main) times.set(`postmaster:${postmaster}`, main.own + main.reaped);
      for (const pid of allPids()) {
        const stat = procStat(pid);
        if (stat?.ppid === postmaster) times.set(String(pid), stat.own);
      }
      return times;
    },
  };
}

/** The backends connected to one database (the bench's): its share of the cluster's work. */
export function postgresDatabaseSource(url: string, database: string): CpuSource {
  return {
    name: 'PostgreSQL (bench db)',
    async read() {
      const client = new pg.Client({ connectionString: url, application_name: 'expe-bench-cpu' });
      await client.connect();
      try {
        const result = await client.query<{ pid: number }>(
          'select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
          [database],
        );
        const times = new Map<string, number>();
        for (const { pid } of result.rows) {
          const stat = procStat(pid);
          if (stat) times.set(String(pid), stat.own);
        }
        return times;
      } finally {
        await client.end();
      }
    },
  };
}

/** The Redis server behind `url` (its pid from INFO), with the children it forked (saves). */
export async function redisSource(url: string): Promise<CpuSource> {
  const redis = new Redis(url, { lazyConnect: true });
  await redis.connect();
  let pid: number;
  try {
    pid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]);
  } finally {
    redis.disconnect();
  }
  return processSource('Redis', () => pid);
}

export type CpuSnapshot = Map<string, { times: Map<string, number>; isReapedWithin: boolean }>;

export async function snapshot(sources: CpuSource[]): Promise<CpuSnapshot> {
  const entries = await Promise.all(
    sources.map(
      async (source) =>
        [
          source.name,
          { times: await source.read(), isReapedWithin: source.isReapedWithin ?? false },
        ] as const,
    ),
  );
  return new Map(entries);
}

/**
 * CPU ms spent per source between two snapshots. A process present only in `after` counts from
 * zero; one gone by `after` is left out, or, when its parent reaped it into a reading of the
 * same source (`isReapedWithin`), its earlier reading is taken off that.
 */
export function cpuSpent(before: CpuSnapshot, after: CpuSnapshot): Map<string, number> {
  const spent = new Map<string, number>();
  for (const [name, { times, isReapedWithin }] of after) {
    const earlier = before.get(name)?.times ?? new Map<string, number>();
    let total = 0;
    for (const [pid, ms] of times) total += ms - (earlier.get(pid) ?? 0);
    if (isReapedWithin) {
      for (const [pid, ms] of earlier) if (!times.has(pid)) total -= ms;
    }
    spent.set(name, total);
  }
  return spent;
}
