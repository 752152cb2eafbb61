import express, { type Response, type Router } from 'express';
import {
  AppError,
  parseInput,
  pathId,
  postRoute,
  postRouteWithoutIdempotency,
  secretKeyScope,
  unixSeconds,
} from '@expe/server-kit';
import { advanceTestClockInputSchema, completePaymentInputSchema } from '@expe/contracts';
import type { Scope } from '@expe/server-kit';
import { completeTestPayment } from '../../payments/domain/complete-test-payment.js';
import type { PaymentsContext } from '../../shared/domain/context.js';
import { runDueWork } from '../../lib/due-work.js';
import { toPaymentResource } from '../../payments/domain/resources.js';
import { resetTestData } from '../domain/reset-test-data.js';
import { advanceTestClock, getTestClock, type TestClockState } from '../domain/test-clock.js';
import { emptyBodySchema } from '../../shared/http/queries.js';

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

  postRoute(router, '/v1/test_helpers/clock/advance', {
    parse: (req, res) => ({
      scope: testModeScope(res),
      input: parseInput(advanceTestClockInputSchema, req.body),
    }),
    // The move commits first (under its Idempotency-Key, so a retried request moves the clock
    // once); then everything due as of the new time runs, each item in its own transaction, as
    // the scheduler would. Running it again on a replay is harmless: done work is not due.
    run: async (tx, { scope, input }) => ({
      status: 200,
      body: toTestClockResource(await advanceTestClock(tx, clock, scope, input.seconds)),
    }),
    afterAnswer: async (answer, { scope }) => {
      if (answer.status !== 200) return;
      await runDueWork(
        { db, clock, metrics },
        { realNow: clock.realNow(), scope },
        { maxPasses: 1000 },
      );
    },
  });

  postRoute(router, '/v1/test_helpers/payments/:id/complete', {
    parse: (req, res) => ({
      scope: testModeScope(res),
      id: pathId(req, 'pay', 'payment'),
      input: parseInput(completePaymentInputSchema, req.body),
    }),
    run: async (tx, { scope, id, input }) => {
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
    },
  });

  postRouteWithoutIdempotency(
    router,
    '/v1/test_helpers/reset',
    "deletes the project's test data, its Idempotency-Keys included, so no answer could outlive it; resetting twice is the same as once",
    async (req, res) => {
      const scope = testModeScope(res);
      parseInput(emptyBodySchema, req.body ?? {});
      await resetTestData(db, clock, scope);
      res.json({ object: 'test_data_reset', livemode: false, created: unixSeconds(new Date()) });
    },
  );

  return router;
}
