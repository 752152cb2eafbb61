import { idSchema, z } from '@expe/contracts';
import { parseInput, requireUser } from '@expe/server-kit';
import express, { type Router } from 'express';
import type { AuthContext } from '../domain/context.js';
import { deactivateUser } from '../domain/deactivate-user.js';

const userParamsSchema = z.object({ id: idSchema('usr') });

/** What only admins may do to other people's accounts. */
export function createAdminRouter(ctx: AuthContext): Router {
  const router = express.Router();

  router.post('/v1/admin/users/:id/disable', async (req, res) => {
    requireUser(res, ['admin']);
    const { id } = parseInput(userParamsSchema, req.params);
    parseInput(z.strictObject({}), req.body);
    const user = await deactivateUser(ctx, id);
    res.json({ id: user.id, object: 'user', disabled: true });
  });

  return router;
}
