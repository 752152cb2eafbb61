import express, { type Router } from 'express';
import {
  authenticateSetupIntentInputSchema,
  cancelSetupIntentInputSchema,
  confirmSetupIntentInputSchema,
  createSetupIntentInputSchema,
  listSetupIntentsQuerySchema,
  updateSetupIntentInputSchema,
} from '@expe/contracts';
import {
  keyScope,
  merchantPostRoute,
  parseInput,
  pathId,
  postRoute,
  toPageRequest,
  type EffectResult,
} from '@expe/server-kit';
import {
  checkoutIdempotencyScope,
  listAndRetrieveRoutes,
  objectPostRoute,
} from '../../shared/http/route-helpers.js';
import type { PaymentsContext } from '../../shared/domain/context.js';
import {
  authenticateSetupIntent,
  confirmSetupIntent,
  setupIntentDeclined,
  type SetupAttemptResult,
} from '../domain/confirm-setup-intent.js';
import { createSetupIntent } from '../domain/create-setup-intent.js';
import { getSetupIntent, listSetupIntents } from '../domain/get-setup-intent.js';
import { toSetupIntentResource, type SetupIntentRow } from '../domain/setup-intent-resources.js';
import { cancelSetupIntent, updateSetupIntent } from '../domain/update-setup-intent.js';

const setupIntent = { prefix: 'seti', what: 'setup_intent' };

function parseSetupIntentsQuery(query: unknown) {
  const parsed = parseInput(listSetupIntentsQuerySchema, query);
  return {
    page: toPageRequest(parsed),
    customerId: parsed.customer,
    paymentMethodId: parsed.payment_method,
  };
}

/** SetupIntents: saving a card on a customer without a payment, scoped by project and mode. */
export function setupIntentRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();
  const { db, links } = ctx;
  const render = (row: SetupIntentRow) => toSetupIntentResource(row, links);

  /** A declined card is 402 and the error carries the SetupIntent; the failure stands. */
  const answer = (result: SetupAttemptResult, status: number): EffectResult =>
    result.kind === 'confirmed'
      ? { status, body: render(result.setupIntent) }
      : { refusal: setupIntentDeclined(result.setupIntent, result.error, links) };

  merchantPostRoute(
    router,
    '/v1/setup_intents',
    { body: createSetupIntentInputSchema },
    async (tx, { scope, input }) => answer(await createSetupIntent(tx, scope, input), 201),
  );

  listAndRetrieveRoutes(router, '/v1/setup_intents', {
    id: setupIntent,
    parse: parseSetupIntentsQuery,
    list: (scope, { customerId, paymentMethodId, page }) =>
      listSetupIntents(db, { ...scope, customerId, paymentMethodId }, page),
    get: (scope, id) => getSetupIntent(db, scope, id),
    render,
  });

  objectPostRoute(
    router,
    '/v1/setup_intents/:id',
    { body: updateSetupIntentInputSchema, id: setupIntent },
    (tx, { scope, id, input }) => updateSetupIntent(tx, scope, id, input),
    render,
  );

  merchantPostRoute(
    router,
    '/v1/setup_intents/:id/confirm',
    { body: confirmSetupIntentInputSchema, id: setupIntent },
    async (tx, { scope, id, input }) =>
      answer(
        await confirmSetupIntent(tx, scope, id, {
          paymentMethod: input.payment_method,
          returnUrl: input.return_url,
        }),
        200,
      ),
  );

  objectPostRoute(
    router,
    '/v1/setup_intents/:id/cancel',
    { body: cancelSetupIntentInputSchema, id: setupIntent },
    (tx, { scope, id, input }) => cancelSetupIntent(tx, scope, id, input),
    render,
  );

  // The hosted 3-D Secure challenge: authorized by the client secret, like a payment's.
  postRoute(router, '/v1/setup_intents/:id/authenticate', {
    parse: (req, res) => ({
      id: pathId(req, setupIntent.prefix, setupIntent.what),
      input: parseInput(authenticateSetupIntentInputSchema, req.body),
      principal: res.locals.principal,
    }),
    scope: checkoutIdempotencyScope,
    run: async (tx, { id, input, principal }) => {
      const row = await authenticateSetupIntent(tx, links, {
        id,
        clientSecret: input.client_secret,
        outcome: input.outcome,
        keyScope: principal.kind === 'api_key' ? keyScope(principal) : undefined,
      });
      return { status: 200, body: render(row) };
    },
  });

  return router;
}
