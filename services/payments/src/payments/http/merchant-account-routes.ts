import express, { type Router } from 'express';
import { parseInput, requireUser, secretKeyScope } from '@expe/server-kit';
import type { PaymentsContext } from '../../shared/domain/context.js';
import { getMerchantBalance } from '../../balance/domain/get-balance.js';
import { getEvent, listEvents } from '../../events/domain/get-event.js';
import { getMerchantIdOfOwner, getMerchantStats } from '../domain/get-merchant-stats.js';
import { toEventResource } from '../../events/domain/event-resources.js';
import { parseEventsQuery, statsQuerySchema } from '../../shared/http/queries.js';
import { listAndRetrieveRoutes } from '../../shared/http/route-helpers.js';

/** What a merchant reads about its money: balance, events, and the console's stats. */
export function merchantAccountRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();
  const { db } = ctx;

  router.get('/v1/balance', async (_req, res) => {
    const scope = secretKeyScope(res);
    const balance = await getMerchantBalance(db, scope);
    res.json({ object: 'balance', ...balance });
  });

  listAndRetrieveRoutes(router, '/v1/events', {
    id: { prefix: 'evt', what: 'event' },
    parse: parseEventsQuery,
    list: (scope, { types, created, page }) => listEvents(db, scope, { types, created }, page),
    get: (scope, id) => getEvent(db, scope, id),
    render: toEventResource,
  });

  router.get('/v1/merchants/me/stats', async (req, res) => {
    const { mode } = parseInput(statsQuerySchema, req.query);
    // A key, or a merchant user's session with Expe-Project (it arrives as that project's key):
    // the project's stats in the key's mode. The owner's session without a project: the
    // merchant's totals over its projects.
    if (res.locals.principal?.kind === 'api_key') {
      res.json(await getMerchantStats(db, { kind: 'project', scope: secretKeyScope(res) }));
      return;
    }
    const user = requireUser(res, ['merchant']);
    const merchantId = await getMerchantIdOfOwner(ctx.merchants, user.userId);
    res.json(await getMerchantStats(db, { kind: 'merchant', merchantId, mode }));
  });

  return router;
}
