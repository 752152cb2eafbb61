import { randomUUID } from 'node:crypto';
import express, { type Express, type Router } from 'express';
import { errorMiddleware, notFoundHandler } from './error-middleware.js';
import { AppError } from './errors.js';
import { healthRouter, type ReadinessCheck } from './health.js';
import { httpMetrics } from './http-metrics.js';
import { requireGatewayIdentity, type IdentityVerifier } from './identity.js';
import type { Logger } from './logger.js';
import { readRequestBody } from './request-body.js';
import { recordBuiltApp } from './mounted-routes.js';
import { middlewareChain } from './middleware-chain.js';
import { requestLog } from './request-log.js';
import { assertEveryPostCovered, mountIdempotency, type IdempotencyConfig } from './route-kit.js';
import { serveMetrics } from './telemetry.js';

/** What `app.use('/internal', …)` matches: the segment, in any case, alone or followed by more. */
const internalPath = /^\/internal(?:\/|$)/i;

export interface ServiceAppOptions {
  name: string;
  logger: Logger;
  /** Its own name (`aud`) and the issuers it accepts identities from, with their keys. */
  identity: IdentityVerifier;
  /** Readiness checks; `/readyz` is 200 only when all pass. */
  checks: Record<string, ReadinessCheck>;
  /** Mounts the service's routes; everything mounted here requires the gateway's credential. */
  routes: Router | Router[];
  /**
   * Where the service keeps its Idempotency-Key answers: every POST declared with the route kit's
   * `postRoute` runs under it. Mounted once here, not per route.
   */
  idempotency?: IdempotencyConfig;
  bodyLimit?: string;
}

/**
 * The Express app every internal service is built on, so they all behave alike: request ids,
 * structured request logs, health and metrics, the gateway credential check, JSON bodies read
 * by `readRequestBody` (size, encoding and shape limits), 404 and the one error middleware. Building it has no global side effect:
 * telemetry is started by `startService` (or the main) before the app is built. Idempotency is
 * mounted here once (`idempotency`), and an app with a POST that is neither idempotent nor opted
 * out with a reason (the route kit, `route-kit.ts`) is refused.
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const app = express();
  mountIdempotency(app, options.idempotency);
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'extended');

  // Each chain is one router layer (issue 23: the router's work per layer, once per chain).
  app.use(
    middlewareChain(
      (req, res, next) => {
        res.locals.requestId =
          req.header('x-request-id') ?? `req_${randomUUID().replaceAll('-', '')}`;
        res.setHeader('Request-Id', res.locals.requestId);
        next();
      },
      requestLog(options.logger, { level: 'debug' }),
      httpMetrics(options.name),
    ),
  );
  app.use(healthRouter(options.checks));
  app.get('/metrics', serveMetrics);

  app.use(
    middlewareChain(
      requireGatewayIdentity(options.identity),
      // `/internal/*` serves other Expe deployables only. A request from the public path carries
      // a person's, a key's or no identity, so it is refused here whatever a route checks itself
      // (issue 11, finding 1); 403 like the routes' own `requireService`. The path is the one the
      // routes match (`req.path`), matched as `app.use('/internal', …)` would: any case, whole
      // segment.
      (req, res, next) => {
        if (internalPath.test(req.path) && res.locals.principal?.kind !== 'service') {
          throw AppError.of('permission_denied', 'Internal endpoint');
        }
        next();
      },
      // Decoded within the limit (or 413/415), parsed, then walked with the depth and node limits
      // before any route sees it.
      readRequestBody({ limit: options.bodyLimit ?? '100kb', as: 'json' }),
    ),
  );
  for (const router of [options.routes].flat()) app.use(router);
  app.use(notFoundHandler);
  app.use(errorMiddleware(options.logger));
  // Every POST is idempotent unless it opted out with a reason: a hand-written one fails here.
  assertEveryPostCovered(app, options.name);
  recordBuiltApp(options.name, app);
  return app;
}
