import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { middlewareChain } from './middleware-chain.js';
import { listen, type RunningServer } from './serve.js';

/** Each step appends its name to `res.locals.steps`; the answer lists them. */
const step =
  (name: string): RequestHandler =>
  (_req, res, next) => {
    (res.locals.steps as string[]).push(name);
    next();
  };

let server: RunningServer;
beforeAll(async () => {
  const app = express();
  app.use((_req, res, next) => {
    res.locals.steps = [];
    next();
  });
  app.use(
    '/chain',
    middlewareChain(
      step('a'),
      async (req, _res, next) => {
        await Promise.resolve();
        if (req.query.fail === 'rejected') throw new Error('rejected in b');
        next();
      },
      (req, _res, next) => {
        if (req.query.fail === 'thrown') throw new Error('thrown in c');
        if (req.query.fail === 'passed') return next(new Error('passed to next in c'));
        next();
      },
      (req, res, next) => {
        if (req.query.answer === 'early') {
          res.json({ steps: [...(res.locals.steps as string[]), 'answered in d'] });
          return;
        }
        next();
      },
      step('e'),
    ),
  );
  app.use((_req, res) => {
    res.json({ steps: [...(res.locals.steps as string[]), 'after the chain'] });
  });
  app.use(((error: Error, _req, res, _next) => {
    res.status(500).json({ steps: res.locals.steps as string[], error: error.message });
  }) as ErrorRequestHandler);
  server = await listen(app, { port: 0, host: '127.0.0.1' });
});
afterAll(() => server?.close());

const get = async (path: string) => {
  const response = await fetch(`${server.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('middleware chain: one layer that behaves as app.use(a, b, c)', () => {
  it('when every handler calls next, then they run in order and the app goes on after the chain', async () => {
    expect(await get('/chain')).toEqual({
      status: 200,
      body: { steps: ['a', 'e', 'after the chain'] },
    });
  });

  it('when a handler answers without next, then the rest of the chain and the app do not run', async () => {
    expect((await get('/chain?answer=early')).body).toEqual({ steps: ['a', 'answered in d'] });
  });

  it.each([
    ['rejected', 'rejected in b'],
    ['thrown', 'thrown in c'],
    ['passed', 'passed to next in c'],
  ])(
    'when a handler fails (%s), then the error middleware gets the error and no later step runs',
    async (fail, message) => {
      expect(await get(`/chain?fail=${fail}`)).toEqual({
        status: 500,
        body: { steps: ['a'], error: message },
      });
    },
  );

  it('when the path is outside the mount, then the chain does not run', async () => {
    expect((await get('/elsewhere')).body).toEqual({ steps: ['after the chain'] });
  });
});
