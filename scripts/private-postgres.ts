// A PostgreSQL cluster of `npm start`'s own under .expe/postgres, started from the server
// binaries the machine has installed (Debian's `postgresql`), listening on loopback only. It
// is what lets every service run in its own process: PGlite lives inside one process.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

export interface PrivatePostgres {
  url: string;
  stop(): Promise<void>;
}

/** The directory holding initdb and pg_ctl: on PATH, or Debian's /usr/lib/postgresql/<v>/bin. */
function findServerBinaries(): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v initdb']).stdout?.toString().trim();
  if (onPath) return join(onPath, '..');
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((version) => existsSync(join(root, version, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts (creating on first use) the private cluster, or returns undefined when the PostgreSQL
 * server is not installed. PostgreSQL refuses to run as root: as root it runs as the
 * `postgres` system user that Debian's package creates.
 */
export async function startPrivatePostgres(
  dataDir: string,
  say: (message: string) => void,
): Promise<PrivatePostgres | undefined> {
  const bin = findServerBinaries();
  if (!bin) {
    say(
      'PostgreSQL server binaries not found (sudo apt-get install -y postgresql for one process per service)',
    );
    return undefined;
  }
  const isRoot = process.getuid?.() === 0;
  let owner: { uid: number; gid: number } | undefined;
  if (isRoot) {
    const id = spawnSync('id', ['-u', 'postgres']);
    if (id.status !== 0) {
      say('running as root without a postgres system user: cannot start a private PostgreSQL');
      return undefined;
    }
    const reachable = spawnSync('runuser', [
      '-u',
      'postgres',
      '--',
      'test',
      '-x',
      join(dataDir, '..'),
    ]);
    if (reachable.status !== 0) {
      say(`the postgres system user cannot reach ${join(dataDir, '..')}: no private PostgreSQL`);
      return undefined;
    }
    owner = {
      uid: Number(id.stdout.toString()),
      gid: Number(spawnSync('id', ['-g', 'postgres']).stdout.toString()),
    };
  }
  const run = (tool: string, args: string[]) => {
    const command = isRoot ? 'runuser' : join(bin, tool);
    const argv = isRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
    return execFileSync(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  };

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    say(`creating a private PostgreSQL cluster in ${dataDir}`);
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (owner) chownSync(dataDir, owner.uid, owner.gid);
    run('initdb', [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-instructions',
    ]);
  }
  // A run that was killed may have left its server behind: stop it, then start on a fresh port.
  const isRunning = (() => {
    try {
      run('pg_ctl', ['status', '-D', dataDir]);
      return true;
    } catch {
      return false;
    }
  })();
  if (isRunning) run('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w']);
  const port = await freePort();
  run('pg_ctl', [
    'start',
    '-D',
    dataDir,
    '-w',
    '-l',
    join(dataDir, 'server.log'),
    '-o',
    `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`,
  ]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  say(`DATABASE_URL not set: started a private PostgreSQL at ${url}`);
  return {
    url,
    stop() {
      run('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w']);
      return Promise.resolve();
    },
  };
}
