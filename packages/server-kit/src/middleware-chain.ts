import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Runs middleware one after another as one Express layer, with Express 5's rules: a handler
 * passes on with `next()`, fails with `next(error)`, a thrown error or a rejected promise, and
 * may end the response without calling `next`. Behaviour is that of `app.use(a, b, c)`; the
 * router's work per layer (path matching, layer bookkeeping, one more `next` hop) is done once
 * instead of once per handler, which on the gateway's hot path is a dozen layers per request
 * (issue 23). `next('route')` and `next('router')` leave the chain and go to the router.
 */
export function middlewareChain(...handlers: RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, done: NextFunction) => {
    let index = 0;
    const next = (error?: unknown) => {
      if (error !== undefined && error !== null) return done(error);
      const handler = handlers[index++];
      if (!handler) return done();
      let result: unknown;
      try {
        result = handler(req, res, next);
      } catch (thrown) {
        return done(thrown);
      }
      if (typeof (result as Promise<unknown> | undefined)?.then === 'function') {
        (result as Promise<unknown>).then(undefined, (rejected: unknown) =>
          done(rejected ?? new Error('Rejected promise')),
        );
      }
    };
    next();
  };
}
