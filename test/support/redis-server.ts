import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** A free TCP port on loopback (for a server a test starts and may restart on the same port). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A redis-server of the test's own on `port`, for tests that stop and restart Redis. With a
 * `dir`, it keeps an append-only file there (fsync on every write), so a restart finds the queue
 * as it was — like a production Redis with persistence; without one, it keeps nothing.
 */
export async function startRedisServer(port: number, dir?: string): Promise<ChildProcess> {
  const persistence = dir
    ? ['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always']
    : ['--appendonly', 'no'];
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--loglevel',
      'warning',
      ...persistence,
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100; i++) {
    const isUp = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (isUp) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error('redis-server did not start');
}
