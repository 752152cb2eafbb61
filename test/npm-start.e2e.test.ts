import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('npm start (the quick start)', () => {
  it('when started with no DATABASE_URL or REDIS_URL, then it comes up on embedded PostgreSQL and its own Redis, serves a ready API, and Ctrl-C stops it cleanly', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'expe-start-'));
    const ports = await Promise.all(Array.from({ length: 5 }, freePort));
    const env = { ...process.env, EXPE_STATE_DIR: stateDir, LOG_LEVEL: 'warn' } as Record<
      string,
      string
    >;
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    delete env.NODE_ENV;
    Object.assign(env, {
      PORT: String(ports[0]),
      AUTH_PORT: String(ports[1]),
      MERCHANTS_PORT: String(ports[2]),
      PAYMENTS_PORT: String(ports[3]),
      WEBHOOKS_PORT: String(ports[4]),
    });
    const child = spawn(
      process.execPath,
      [
        '--conditions=@expe/source',
        '--import',
        'tsx',
        '--import',
        '@expe/server-kit/instrument',
        'scripts/start.ts',
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    try {
      const deadline = Date.now() + 90_000;
      while (!output.includes('Ready.')) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`did not start:\n${output}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(output).toContain('embedded PostgreSQL (PGlite)');
      expect(output).toContain('started redis-server');
      const redisPort = Number(/redis:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]);

      const ready = await fetch(`http://127.0.0.1:${ports[0]}/readyz`);
      expect(ready.status).toBe(200);
      const register = await fetch(`http://127.0.0.1:${ports[0]}/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'quick@example.com',
          password: 'correct horse battery',
          name: 'Quick',
          role: 'merchant',
        }),
      });
      expect(register.status).toBe(201);

      child.kill('SIGINT');
      expect(await exited).toBe(0);
      // The private redis-server went away with it.
      const redisUp = await new Promise<boolean>((resolve) => {
        const socket = net.connect(redisPort, '127.0.0.1');
        socket.once('connect', () => (socket.destroy(), resolve(true)));
        socket.once('error', () => resolve(false));
      });
      expect(redisUp).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 120_000);
});
