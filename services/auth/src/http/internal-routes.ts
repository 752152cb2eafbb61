import express, { type Router } from 'express';
import { idSchema, z } from '@expe/contracts';
import { parseInput, requireService } from '@expe/server-kit';
import type { UserRow } from '../domain/resources.js';
import type { AuthContext } from '../domain/context.js';
import { getUser } from '../domain/get-user.js';
import { resolveUser } from '../domain/resolve-user.js';

/** Services that need to know who a user is (wallet transfers, payment pages). */
const readers = ['payments', 'webhooks'];

const userParamsSchema = z.object({ id: idSchema('usr') });
const resolveUserInputSchema = z.strictObject({
  handle: z.string().trim().min(3).max(254),
});

/** What other services may know about a user: never the password hash or token state. */
export function toInternalUser(user: UserRow) {
  return { id: user.id, email: user.email, name: user.name, vpa: user.vpa, role: user.role };
}

/** Routes for other Expe services; the gateway never forwards `/internal/...`. */
export function createInternalRouter(ctx: AuthContext): Router {
  const router = express.Router();

  router.get('/internal/users/:id', async (req, res) => {
    requireService(res, readers);
    const { id } = parseInput(userParamsSchema, req.params);
    res.json(toInternalUser(await getUser(ctx.db, id)));
  });

  router.post('/internal/users/resolve', async (req, res) => {
    requireService(res, readers);
    const { handle } = parseInput(resolveUserInputSchema, req.body);
    res.json(toInternalUser(await resolveUser(ctx.db, handle)));
  });

  return router;
}
