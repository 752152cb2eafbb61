import { randomUUID } from 'node:crypto';
import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import { merchantsInternalApi, paymentsInternalApi } from '@expe/contracts';
import {
  AppError,
  createInternalClient,
  createSlidingWindowLimiter,
  errorMiddleware,
  healthRouter,
  httpMetrics,
  requestLog,
  identitySignerOf,
  middlewareChain,
  readRequestBody,
  type Logger,
} from '@expe/server-kit';
import type { GatewayConfig } from './config.js';
import { createAuthenticator } from './domain/authenticate.js';
import { docsRouter } from './http/docs-routes.js';
import { edgeHeaders } from './http/edge-headers.js';
import { dispatchApiDirectly } from './http/api-dispatch.js';
import { apiVersionMiddleware } from './http/api-version-middleware.js';
import { authenticateMiddleware } from './http/authenticate-middleware.js';
import { refuseRepeatedHeaders } from './http/single-value-headers.js';
import { createUpstream, type Upstream as UpstreamHandle } from './http/forward.js';
import { rateLimitMiddleware } from './http/rate-limit-middleware.js';
import { servePublicMetrics } from './http/public-metrics.js';
import { requestLogMiddleware } from './http/request-log-middleware.js';
import { upstreamFor, type Upstream as UpstreamName } from './http/routes-table.js';
import { webAppRouter } from './http/web-routes.js';
import { createSubscriptionAuthorizer } from './realtime/authorize-subscription.js';
import { createExpeCall } from './stripe/expe-client.js';
import { createStripeApp } from './stripe/stripe-app.js';

export interface GatewayDeps {
  config: GatewayConfig;
  redis: Redis;
  logger: Logger;
}

export interface Gateway {
  app: Express;
  /** The Stripe-compatible API, served on its own port by `startGateway`. */
  stripeApp: Express;
  /** Decides WebSocket subscriptions with the same credential checks as the HTTP API. */
  authorizeSubscription: ReturnType<typeof createSubscriptionAuthorizer>;
  /**
   * Closes the connection pools to the services and writes the request log's last entries
   * (after the HTTP server has drained, before Redis is closed).
   */
  close(): Promise<void>;
}

/** The gateway's Express app (no listener, no WebSocket). */
export function createApp(deps: GatewayDeps): Express {
  return createGateway(deps).app;
}

/**
 * The only public entry: request ids, security headers, CORS allow-list, body limit,
 * authentication, rate limits, then the request goes to the service that owns the path with the
 * caller's identity signed for it.
 */
export function createGateway({ config, redis, logger }: GatewayDeps): Gateway {
  const signer = identitySignerOf('gateway', config);
  const upstreams: Record<UpstreamName, UpstreamHandle> = {
    auth: upstream('auth', config.AUTH_URL, true),
    merchants: upstream('merchants', config.MERCHANTS_URL),
    payments: upstream('payments', config.PAYMENTS_URL),
    webhooks: upstream('webhooks', config.WEBHOOKS_URL),
  };
  function upstream(name: UpstreamName, baseUrl: string, passCookies = false): UpstreamHandle {
    return createUpstream({
      baseUrl,
      signer,
      audience: name,
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
      connections: config.UPSTREAM_CONNECTIONS,
      maxInFlight: config.MAX_IN_FLIGHT_PER_UPSTREAM,
      passCookies,
    });
  }
  const merchants = createInternalClient(merchantsInternalApi, {
    baseUrl: config.MERCHANTS_URL,
    signer,
  });
  const authenticate = createAuthenticator({
    jwtSecret: config.JWT_SECRET,
    redis,
    merchants,
    cacheTtlMs: config.API_KEY_CACHE_TTL_MS,
    sessionCheckTtlMs: config.SESSION_CHECK_CACHE_TTL_MS,
  });
  const window = { windowMs: config.RATE_LIMIT_WINDOW_MS };
  const limits = rateLimitMiddleware({
    perIp: createSlidingWindowLimiter(redis, {
      name: 'ip',
      limit: config.RATE_LIMIT_PER_IP,
      ...window,
    }),
    perCaller: createSlidingWindowLimiter(redis, {
      name: 'caller',
      limit: config.RATE_LIMIT_PER_KEY,
      ...window,
    }),
    logger,
    isRedisReady: () => redis.status === 'ready',
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  // Each chain is one router layer: the middleware of every request, then that of /v1; a
  // request for /v1/… runs the two without the router (dispatchApiDirectly, below).
  const edge = middlewareChain(
    (req, res, next) => {
      res.locals.requestId = `req_${randomUUID().replaceAll('-', '')}`;
      // Without a trusted proxy req.ip is the socket's address; proxy-addr would still parse
      // X-Forwarded-For on every request to find that out.
      res.locals.clientIp = config.TRUST_PROXY
        ? (req.ip ?? req.socket.remoteAddress)
        : req.socket.remoteAddress;
      res.setHeader('Request-Id', res.locals.requestId);
      next();
    },
    requestLog(logger, { level: 'info' }),
    httpMetrics('gateway'),
    edgeHeaders(
      helmet(),
      cors({
        origin: config.CORS_ORIGINS,
        credentials: true,
        exposedHeaders: [
          'Request-Id',
          'RateLimit-Limit',
          'RateLimit-Remaining',
          'RateLimit-Reset',
          'Retry-After',
          'Idempotent-Replayed',
          'Expe-Version',
        ],
        allowedHeaders: [
          'Authorization',
          'Content-Type',
          'Idempotency-Key',
          'Expe-Version',
          'Expe-Project',
          'Expe-Mode',
        ],
        maxAge: 600,
      }),
    ),
  );
  app.use(edge);
  const authenticateRequest = authenticateMiddleware({
    authenticate,
    failures: createSlidingWindowLimiter(redis, {
      name: 'auth-failures',
      limit: config.AUTH_FAILURES_PER_IP,
      windowMs: config.AUTH_FAILURE_WINDOW_MS,
    }),
    logger,
  });
  const logRequest = requestLogMiddleware(redis);
  const versions = apiVersionMiddleware({ merchants, cacheTtlMs: config.API_KEY_CACHE_TTL_MS });
  const api = middlewareChain(
    refuseRepeatedHeaders,
    versions.checkApiVersion,
    // Decoded here (gzip, deflate, br; others 415) and forwarded plain; the service parses it.
    readRequestBody({ limit: config.BODY_LIMIT, as: 'raw' }),
    authenticateRequest,
    versions.pinApiVersion,
    limits,
    logRequest,
    async (req, res) => {
      const name = upstreamFor(req.originalUrl.split('?')[0] ?? '');
      if (!name) {
        throw AppError.of(
          'route_not_found',
          `Unrecognized request URL (${req.method}: ${req.path})`,
        );
      }
      res.locals.routeLabel = `upstream:${name}`;
      await upstreams[name].forward(req, res);
    },
  );
  app.use('/v1', api);
  // After /v1, which none of them serves, so an API request does not walk their routes.
  // Ready means this pod can serve: only its own dependency (Redis) counts. A sick upstream
  // answers 503 on the routes it owns; failing readiness here would pull every gateway pod
  // out of the Service and take the whole API down with it.
  app.use(healthRouter({ redis: () => redis.ping() }));
  app.get('/metrics', servePublicMetrics);
  app.use(docsRouter());
  if (config.WEB_DIST_DIR) {
    app.use(
      webAppRouter(config.WEB_DIST_DIR, { serveSourceMaps: config.NODE_ENV !== 'production' }),
    );
  }
  app.use((req) => {
    throw AppError.of('route_not_found', `Unrecognized request URL (${req.method}: ${req.path})`);
  });
  const onError = errorMiddleware(logger);
  app.use(onError);
  dispatchApiDirectly(app, { edge, api, onError });
  const stripeApp = createStripeApp({
    redis,
    logger,
    call: createExpeCall({
      baseUrls: {
        auth: config.AUTH_URL,
        merchants: config.MERCHANTS_URL,
        payments: config.PAYMENTS_URL,
        webhooks: config.WEBHOOKS_URL,
      },
      signer,
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    }),
    bodyLimit: config.BODY_LIMIT,
    trustProxy: config.TRUST_PROXY,
    authenticate: authenticateRequest,
    rateLimits: limits,
    requestLog: logRequest,
  });
  return {
    app,
    stripeApp,
    authorizeSubscription: createSubscriptionAuthorizer({
      authenticate,
      payments: createInternalClient(paymentsInternalApi, { baseUrl: config.PAYMENTS_URL, signer }),
    }),
    async close() {
      await Promise.all([
        ...Object.values(upstreams).map((handle) => handle.close()),
        logRequest.flush(),
      ]);
    },
  };
}
