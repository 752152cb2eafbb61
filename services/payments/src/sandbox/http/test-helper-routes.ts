import express, { type Response, type Router } from 'express';
import {
  AppError,
  idempotencyKeyOf,
  parseInput,
  secretKeyScope,
  unixSeconds,
} from '@expe/server-kit';
import { advanceTestClockInputSchema, completePaymentInputSchema } from '@expe/contracts';
import type { Scope } from '@expe/server-kit';
import { completeTestPayment } from '../../payments/domain/complete-test-payment.js';
import type { PaymentsContext } from '../../shared/domain/context.js';
import { runDueWork } from '../../lib/due-work.js';
import { runIdempotent, requestFingerprint } from '../../shared/domain/idempotency.js';
import { toPaymentResource } from '../../payments/domain/resources.js';
import { resetTestData } from '../domain/reset-test-data.js';
import { advanceTestClock, getTestClock, type TestClockState } from '../domain/test-clock.js';
import { emptyBodySchema } from '../../shared/http/queries.js';
import { idempotencyScope, pathId, sendIdempotent } from '../../shared/http/route-helpers.js';

/** Test helpers exist in test mode only: to a live key they are not there at all (404). */
function testModeScope(res: Response): Scope & { mode: 'test' } {
  const scope = secretKeyScope(res);
  if (scope.mode !== 'test') {
    throw AppError.of('route_not_found', 'Test helpers exist in test mode only: use a test key');
  }
  return { ...scope, mode: 'test' };
}

function toTestClockResource(state: TestClockState) {
  return {
    object: 'test_clock' as const,
    livemode: false as const,
    now: unixSeconds(state.now),
    offset_seconds: state.offsetSeconds,
  };
}

export function testHelperRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();
  const { db, clock, metrics } = ctx;

  router.get('/v1/test_helpers/clock', async (_req, res) => {
    const scope = testModeScope(res);
    res.json(toTestClockResource(await getTestClock(db, clock, scope)));
  });

  router.post('/v1/test_helpers/clock/advance', async (req, res) => {
    const scope = testModeScope(res);
    const input = parseInput(advanceTestClockInputSchema, req.body);
    // The move commits first (under its Idempotency-Key, so a retried request moves the clock
    // once); then everything due as of the new time runs, each item in its own transaction, as
    // the scheduler would. Running it again on a replay is harmless: done work is not due.
    const response = await runIdempotent(
      db,
      {
        scope: idempotencyScope(res.locals.principal),
        key: idempotencyKeyOf(req),
        fingerprint: requestFingerprint(req.method, req.baseUrl + req.path, req.body),
        requestId: res.locals.requestId,
        ttlSeconds: ctx.config.IDEMPOTENCY_TTL_SECONDS,
      },
      async (tx) => ({
        status: 200,
        body: toTestClockResource(await advanceTestClock(tx, clock, scope, input.seconds)),
      }),
    );
    if (response.status === 200) {
      await runDueWork(
        { db, clock, metrics },
        { realNow: clock.realNow(), scope },
        { maxPasses: 1000 },
      );
    }
    if (response.isReplay) res.setHeader('Idempotent-Replayed', 'true');
    res.status(response.status).type('application/json').send(response.body);
  });

  router.post('/v1/test_helpers/payments/:id/complete', async (req, res) => {
    const scope = testModeScope(res);
    const id = pathId(req, 'pay', 'payment');
    const input = parseInput(completePaymentInputSchema, req.body);
    await sendIdempotent(req, res, ctx, idempotencyScope(res.locals.principal), async (tx) => {
      const payment = await completeTestPayment(tx, clock, scope, id, input.outcome);
      return {
        status: 200,
        body: toPaymentResource(payment, ctx.links),
        onCommit: () => {
          if (payment.status === 'succeeded') metrics.paymentSucceeded(payment);
          if (payment.lastPaymentError)
            metrics.paymentFailed(payment, payment.lastPaymentError.code);
        },
      };
    });
  });

  router.post('/v1/test_helpers/reset', async (req, res) => {
    const scope = testModeScope(res);
    parseInput(emptyBodySchema, req.body ?? {});
    // Not under an Idempotency-Key: a reset deletes the project's test keys, and doing it twice
    // is the same as once.
    await resetTestData(db, clock, scope);
    res.json({ object: 'test_data_reset', livemode: false, created: unixSeconds(new Date()) });
  });

  return router;
}
