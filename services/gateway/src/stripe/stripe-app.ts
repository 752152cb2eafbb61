import { randomUUID } from 'node:crypto';
import express, {
  type ErrorRequestHandler,
  type Express,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import {
  AppError,
  httpMetrics,
  readRequestBody,
  requestLog,
  supportedContentEncodings,
  type Logger,
} from '@expe/server-kit';
import {
  StripeError,
  parseOperationParams,
  servedResourcePaths,
  stripeApiVersion,
  stripeOperations,
  toExpeId,
  toExpeIds,
  toStripeErrorBody,
  toStripeIds,
  type StripeOperation,
} from '@expe/stripe-compat';
import {
  balanceHandlers,
  eventHandlers,
  refundHandlers,
  webhookEndpointHandlers,
} from './account-resources.js';
import { checkoutSessionHandlers } from './checkout-sessions.js';
import { customerHandlers } from './customers.js';
import type { ExpeCall } from './expe-client.js';
import { balanceTransactionHandlers, disputeHandlers, payoutHandlers } from './money-out.js';
import { bindExpe, type StripeHandler } from './handler.js';
import { operationMetrics } from './operation-metrics.js';
import { chargeHandlers } from './charges.js';
import { paymentIntentHandlers } from './payment-intents.js';
import { paymentMethodHandlers, setupIntentHandlers } from './payment-methods.js';

/** Every served operation's handler, by `Resource.name` as in the operation table. */
const handlers: Record<string, Record<string, StripeHandler>> = {
  PaymentIntent: paymentIntentHandlers,
  Charge: chargeHandlers,
  Refund: refundHandlers,
  Balance: balanceHandlers,
  Event: eventHandlers,
  WebhookEndpoint: webhookEndpointHandlers,
  'Checkout Session': checkoutSessionHandlers,
  BalanceTransaction: balanceTransactionHandlers,
  Payout: payoutHandlers,
  Dispute: disputeHandlers,
  Customer: customerHandlers,
  PaymentMethod: paymentMethodHandlers,
  SetupIntent: setupIntentHandlers,
};

export function handlerOf(operation: StripeOperation): StripeHandler | undefined {
  return handlers[operation.resource]?.[operation.name];
}

export interface StripeAppDeps {
  redis: Redis;
  logger: Logger;
  call: ExpeCall;
  bodyLimit: string;
  trustProxy: boolean;
  /** The gateway's own middleware: the same keys, failure limits and rate limits as :4000. */
  authenticate: RequestHandler;
  rateLimits: RequestHandler;
  requestLog: RequestHandler;
}

/**
 * Stripe's wire format over Expe's API: form-encoded bodies with bracket
 * notation, Stripe's objects, lists, errors and statuses. Each operation of
 * `@expe/stripe-compat`'s table checks its parameters first (nothing is written by a refused
 * request), then calls Expe's own API as the caller, so a PaymentIntent is an Expe payment.
 */
export function createStripeApp(deps: StripeAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  // `qs`, for `expand[]=…` and `created[gte]=…` in query strings, as in bodies.
  app.set('query parser', 'extended');
  app.set('trust proxy', deps.trustProxy);
  app.use((req, res, next) => {
    res.locals.requestId = `req_${randomUUID().replaceAll('-', '')}`;
    res.locals.clientIp = req.ip ?? req.socket.remoteAddress;
    res.setHeader('Request-Id', res.locals.requestId);
    // Objects follow one version (docs/stripe-compatibility.md); a client's pinned version is
    // echoed when it is one (2026-03-25.dahlia, 2024-06-20), refused as Stripe does when not.
    const version = req.header('stripe-version');
    if (version !== undefined && !stripeVersionPattern.test(version)) {
      throw StripeError.invalid(
        'parameter_invalid',
        `Invalid Stripe API version: ${version.slice(0, 60)}`,
        'Stripe-Version',
      );
    }
    res.setHeader('Stripe-Version', version ?? stripeApiVersion);
    next();
  });
  app.use(requestLog(deps.logger, { level: 'info' }));
  app.use(httpMetrics('gateway-stripe'));
  app.use(helmet());
  // The one body reader of every Expe deployable: codings decoded within the limit counted both
  // as received and as decoded (or refused with 415), the form walked like every JSON body.
  app.use(requireForm, readRequestBody({ as: 'form', limit: deps.bodyLimit }));
  app.use(basicToBearer, deps.authenticate, requireSecretKey, deps.rateLimits, deps.requestLog);

  // Operations that are not served first, so `GET /v1/payment_intents/search` is not taken
  // for a retrieve of the PaymentIntent `search`.
  const served = stripeOperations.filter((operation) => operation.support !== 'not');
  const counted = operationMetrics();
  for (const operation of stripeOperations.filter((operation) => !served.includes(operation))) {
    app[methodOf(operation)](operation.path, counted(operation), (req) => {
      throw notServed(req, operation);
    });
  }
  for (const operation of served) {
    const handler = handlerOf(operation);
    if (!handler) throw new Error(`no handler for ${operation.resource}.${operation.name}`);
    app[methodOf(operation)](operation.path, counted(operation), async (req, res) => {
      const raw = operation.method === 'GET' ? req.query : (req.body as unknown);
      // Handlers work in Expe's ids; the client sees Stripe's (pi_ for pay_, …) both ways.
      const params = toExpeIds(parseOperationParams(operation, raw));
      const idempotencyKey = req.header('idempotency-key');
      // Node joins repeated lines into `a, b`: a new key for a retried request. Refused instead.
      if ((req.headersDistinct['idempotency-key']?.length ?? 0) > 1) {
        throw StripeError.invalid(
          'parameter_invalid',
          'Send the Idempotency-Key header once',
          'Idempotency-Key',
        );
      }
      if (idempotencyKey !== undefined && idempotencyKey.length > 255) {
        throw StripeError.invalid(
          'parameter_invalid',
          'Idempotency-Key must be at most 255 characters',
          'Idempotency-Key',
        );
      }
      const caller = {
        principal: res.locals.principal,
        requestId: res.locals.requestId,
        clientIp: res.locals.clientIp,
      };
      const answer = await handler({
        caller,
        params,
        id: typeof req.params.id === 'string' ? toExpeId(req.params.id) : '',
        idempotencyKey: operation.method === 'POST' ? idempotencyKey : undefined,
        expe: bindExpe(deps.call, caller),
        redis: deps.redis,
        path: req.path,
      });
      if (answer.isReplay) res.setHeader('Idempotent-Replayed', 'true');
      res.status(answer.status ?? 200).json(toStripeIds(answer.body));
    });
  }
  app.use((req) => {
    throw new StripeError(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${req.method}: ${req.path}). Expe's Stripe-compatible endpoint serves ${servedResourcePaths().join(', ')}; see docs/stripe-compatibility.md.`,
    });
  });
  app.use(stripeErrorMiddleware(deps.logger));
  return app;
}

/** A Stripe API version: a date, with the release train's name since 2024-09-30 (`.acacia`). */
const stripeVersionPattern = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/;

function methodOf(operation: StripeOperation) {
  return operation.method.toLowerCase() as 'get' | 'post' | 'delete';
}

function notServed(req: Request, operation: StripeOperation): StripeError {
  return new StripeError(404, {
    type: 'invalid_request_error',
    message: `Unrecognized request URL (${req.method}: ${req.path}): ${operation.resource} ${operation.name} is not served by Expe${operation.note ? ` (${operation.note})` : ''}. Served: ${servedResourcePaths().join(', ')}; see docs/stripe-compatibility.md.`,
  });
}

/** Stripe takes form bodies only; a JSON body would be ignored, so it is refused instead. */
const requireForm: RequestHandler = (req, _res, next) => {
  const length = Number(req.header('content-length') ?? 0);
  const hasBody = length > 0 || req.header('transfer-encoding') !== undefined;
  if (hasBody && !req.is('application/x-www-form-urlencoded')) {
    throw StripeError.invalid(
      'parameter_invalid',
      'Send parameters as application/x-www-form-urlencoded, as Stripe does',
      'Content-Type',
    );
  }
  next();
};

function unsupportedCoding(encoding: string): StripeError {
  return new StripeError(
    415,
    toStripeErrorBody({
      type: 'invalid_request_error',
      code: 'unsupported_content_encoding',
      message: `Unsupported Content-Encoding "${encoding.slice(0, 100)}": send the body as ${supportedContentEncodings.join(', ')} (one coding)`,
      param: 'Content-Encoding',
    }),
  );
}

/** `curl -u sk_test_…:` sends the key as HTTP Basic; Stripe accepts both. */
const basicToBearer: RequestHandler = (req, _res, next) => {
  const header = req.header('authorization');
  const match = header ? /^Basic\s+(.+)$/i.exec(header) : null;
  if (match?.[1]) {
    const user = Buffer.from(match[1], 'base64').toString('utf8').split(':')[0] ?? '';
    req.headers.authorization = `Bearer ${user}`;
  }
  next();
};

const requireSecretKey: RequestHandler = (_req, res: Response, next) => {
  const principal = res.locals.principal;
  if (principal?.kind !== 'api_key') {
    throw new StripeError(401, {
      type: 'invalid_request_error',
      message:
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    });
  }
  if (principal.keyType !== 'secret') {
    throw new StripeError(403, {
      type: 'invalid_request_error',
      code: 'secret_key_required',
      message: 'This API call cannot be made with a publishable API key. Use a secret key (sk_…).',
    });
  }
  next();
};

/** Renders every error as Stripe's `{error: {...}}` with Stripe's status. */
function stripeErrorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    void _next;
    if (error instanceof StripeError) {
      for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
      res.status(error.status).json({ error: toStripeIds(error.body) });
      return;
    }
    if (error instanceof AppError) {
      for (const [name, value] of Object.entries(error.headers ?? {})) res.setHeader(name, value);
      const body = toStripeIds(toStripeErrorBody(error));
      res.status(error.httpStatus === 413 ? 400 : error.httpStatus).json({ error: body });
      return;
    }
    const status = (error as { status?: number; type?: string }).status;
    if (status === 415) {
      // body-parser: a coding it does not decode (refuseUnsupportedCoding answers first).
      const refusal = unsupportedCoding(req.header('content-encoding') ?? '');
      res.status(refusal.status).json({ error: refusal.body });
      return;
    }
    if (status === 413 || status === 400) {
      // body-parser: too large, or a body that does not parse.
      res.status(400).json({
        error: toStripeErrorBody({
          type: 'invalid_request_error',
          code: status === 413 ? 'request_too_large' : 'parameter_invalid',
          message:
            status === 413 ? 'The request body is too large' : 'The request body does not parse',
        }),
      });
      return;
    }
    logger.error(
      { err: error, requestId: res.locals.requestId },
      'stripe-compatible request failed',
    );
    res.status(500).json({
      error: { type: 'api_error', message: 'An unexpected error occurred; try again.' },
    });
  };
}
