import type { ErrorRequestHandler, Express, Request, RequestHandler, Response } from 'express';
import { AppError } from '@expe/server-kit';

const mountPath = '/v1';

/**
 * Hands every request for `/v1/…` to the edge's chain and then the API's chain directly, as
 * `app.use(edge)` then `app.use('/v1', api)` would, without Express's router (issue 23: the
 * gateway's own CPU per request). Express's part of it was a fixed cost per request — the
 * router's stack walk, path matching and trimming, `next` closures, `finalhandler` — that the
 * API's requests, nearly all of the gateway's, do not need: they match the same two layers.
 *
 * What each handler sees is what Express gives it: the app's `req`/`res` prototypes, `res.locals`,
 * `req.originalUrl`, `req.baseUrl` `''` then `'/v1'` with `req.url` trimmed to the rest, and an
 * error (thrown, rejected or passed to `next`) goes to `onError`, the app's error middleware. Only
 * a path that starts with exactly `/v1/` takes this way; anything else (`/V1/…`, `/v1` alone,
 * absolute-form URLs, the web app, probes) goes through the app's router as before, which serves
 * `/v1/…` with the same two layers.
 */
export function dispatchApiDirectly(
  app: Express,
  {
    edge,
    api,
    onError,
  }: { edge: RequestHandler; api: RequestHandler; onError: ErrorRequestHandler },
): void {
  // Express's own entry for a request (what `app(req, res)` calls); typed internally only.
  const router = app as unknown as { handle: Handle };
  const viaRouter = router.handle.bind(app);
  const handle = (req: Request, res: Response, done?: unknown) => {
    const url = req.url;
    if (!url.startsWith(`${mountPath}/`)) return viaRouter(req, res, done);
    req.res = res;
    res.req = req;
    Object.setPrototypeOf(req, app.request);
    Object.setPrototypeOf(res, app.response);
    res.locals ??= Object.create(null) as Response['locals'];
    req.originalUrl ??= url;
    req.baseUrl = '';
    const fail = (error: unknown) => {
      try {
        onError(error, req, res, () => closeUnanswered(res));
      } catch {
        closeUnanswered(res);
      }
    };
    edge(req, res, (error?: unknown) => {
      if (isError(error)) return fail(error);
      req.baseUrl = mountPath;
      req.url = url.slice(mountPath.length);
      api(req, res, (apiError?: unknown) => {
        req.baseUrl = '';
        req.url = url;
        // The API's last handler always answers or throws; passing on would have reached the
        // app's 404.
        fail(
          isError(apiError)
            ? apiError
            : AppError.of(
                'route_not_found',
                `Unrecognized request URL (${req.method}: ${req.path})`,
              ),
        );
      });
    });
  };
  router.handle = handle;
}

type Handle = (req: Request, res: Response, done?: unknown) => void;

/** Express's router leaves a chain on `next('route')` / `next('router')`: not errors. */
function isError(error: unknown): boolean {
  return error !== undefined && error !== null && error !== 'route' && error !== 'router';
}

function closeUnanswered(res: Response): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = 500;
  res.end();
}
