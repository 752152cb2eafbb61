import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import cors from 'cors';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeHeaders } from '../src/http/edge-headers.js';

// The gateway replays helmet's and cors' headers instead of running them for every request; a
// client must get exactly the headers (names, values, order) the two middleware would write.

const allowed = 'http://localhost:5173';
const corsOf = () =>
  cors({
    origin: [allowed],
    credentials: true,
    exposedHeaders: ['Request-Id', 'Retry-After'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600,
  });

function appWith(...middleware: RequestHandler[]) {
  const app = express();
  app.disable('x-powered-by');
  app.use(...middleware);
  app.use((_req, res) => {
    res.json({ ok: true });
  });
  return app;
}

let servers: Server[] = [];
let direct = '';
let replayed = '';

beforeAll(async () => {
  const listen = (app: express.Express) =>
    new Promise<Server>((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => resolve(server));
    });
  const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const directServer = await listen(appWith(helmet(), corsOf()));
  const replayedServer = await listen(appWith(edgeHeaders(helmet(), corsOf())));
  servers = [directServer, replayedServer];
  direct = urlOf(directServer);
  replayed = urlOf(replayedServer);
});

afterAll(() => {
  for (const server of servers) server.close();
});

/** The answer's status and header lines as sent, without the ones that change by the second. */
function headersOf(base: string, method: string, headers: Record<string, string>) {
  return new Promise<{ status: number; lines: string[] }>((resolve, reject) => {
    const req = httpRequest(`${base}/v1/account`, { method, headers }, (res) => {
      res.resume();
      res.on('end', () => {
        const lines: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i]!;
          if (['date', 'keep-alive', 'connection'].includes(name.toLowerCase())) continue;
          lines.push(`${name}: ${res.rawHeaders[i + 1]}`);
        }
        resolve({ status: res.statusCode ?? 0, lines });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('edge headers', () => {
  it.each([
    ['GET', {}],
    ['POST', {}],
    ['GET', { origin: allowed }],
    ['GET', { origin: 'https://elsewhere.example' }],
    ['OPTIONS', { origin: allowed, 'access-control-request-method': 'POST' }],
    ['OPTIONS', { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' }],
    ['OPTIONS', {}],
  ] as const)(
    'when a %s request with %j is answered, then its headers are those of helmet and cors, in their order',
    async (method, headers) => {
      const expected = await headersOf(direct, method, headers);
      expect(expected.lines.some((line) => line.startsWith('Content-Security-Policy:'))).toBe(true);
      expect(await headersOf(replayed, method, headers)).toEqual(expected);
    },
  );
});
