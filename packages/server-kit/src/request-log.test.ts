import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import express from 'express';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from './logger.js';
import { requestLog } from './request-log.js';

/** An app with the request log in front, served on a free port, and the lines it wrote. */
async function serve(level: string) {
  const stream = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  const logger = createLogger({ name: 'request-log-test', level }, stream);
  const app = express();
  app.use((_req, res, next) => {
    res.locals.requestId = 'req_0123';
    next();
  });
  app.use(requestLog(logger, { level: 'info' }));
  // Registered after the log's own listener, so it runs once the line is written (or not).
  let closed = 0;
  app.use((_req, res, next) => {
    res.once('close', () => (closed += 1));
    next();
  });
  app.get('/healthz', (_req, res) => void res.send('ok'));
  app.get('/v1/things/:id', (_req, res) => void res.json({ ok: true }));
  app.get('/v1/broken', (_req, res) => void res.status(503).json({ error: 'down' }));
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    lines,
    /** Requests `path`, then waits until the server has closed the response (and logged). */
    async get(path: string) {
      const before = closed;
      const response = await fetch(base + path);
      await response.text();
      await vi.waitFor(() => expect(closed).toBeGreaterThan(before), { interval: 5 });
      return response.status;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('the request log', () => {
  it('when its level is enabled, then a request is one line with id, method, path without the query, status and duration', async () => {
    const app = await serve('info');
    try {
      await app.get('/v1/things/th_1?client_secret=pi_1_secret_abc');
      await app.get('/healthz');

      expect(app.lines).toHaveLength(1);
      expect(app.lines[0]).toMatchObject({
        level: 30,
        msg: 'request completed',
        reqId: 'req_0123',
        req: { id: 'req_0123', method: 'GET', path: '/v1/things/th_1' },
        res: { status: 200 },
      });
      expect(app.lines[0]!.responseTime).toEqual(expect.any(Number));
      expect(JSON.stringify(app.lines)).not.toContain('client_secret');
    } finally {
      await app.close();
    }
  });

  it('when the level is warn, then a good request writes nothing and a 5xx still writes an error line', async () => {
    const app = await serve('warn');
    try {
      await app.get('/v1/things/th_1');
      await app.get('/v1/broken');

      expect(app.lines).toEqual([
        expect.objectContaining({
          level: 50,
          msg: 'request errored',
          req: { id: 'req_0123', method: 'GET', path: '/v1/broken' },
          res: { status: 503 },
        }),
      ]);
    } finally {
      await app.close();
    }
  });

  it('when the logger is silent, then nothing is written, not even for a 5xx', async () => {
    const app = await serve('silent');
    try {
      await app.get('/v1/broken');

      expect(app.lines).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
