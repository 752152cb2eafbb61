import { Agent, request } from 'node:http';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { listen } from './serve.js';

function get(port: number, agent: Agent): Promise<{ status: number; connection?: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('listen(…).close() — draining keep-alive connections', () => {
  it('when it is told to stop while a client keeps a connection alive, then the client is answered with Connection: close instead of being cut, and the close ends when the connection does', async () => {
    const app = express();
    app.get('/', (_req, res) => res.send('ok'));
    const server = await listen(app, { port: 0, host: '127.0.0.1', drainMs: 5_000 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await get(server.port, agent)).connection).toBe('keep-alive');

    const started = Date.now();
    const closing = server.close();
    const during = await get(server.port, agent);
    await closing;

    expect(during).toEqual({ status: 200, connection: 'close' });
    expect(Date.now() - started).toBeLessThan(4_000);
    agent.destroy();
  });

  it('when nothing is connected, then it closes at once', async () => {
    const server = await listen(express(), { port: 0, host: '127.0.0.1', drainMs: 5_000 });
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
