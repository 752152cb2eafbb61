import { idSchema, z } from '@expe/contracts';
import { parseInput, requireUser, sendIdempotent, type Database } from '@expe/server-kit';
import express, { type Router } from 'express';
import type { AuthContext } from '../domain/context.js';
import { deactivateUser } from '../domain/deactivate-user.js';
import { idempotencyOf } from './idempotency.js';

const userParamsSchema = z.object({ id: idSchema('usr') });

/** What only admins may do to other people's accounts. */
export function createAdminRouter(ctx: AuthContext & { db: Database }): Router {
  const router = express.Router();

  router.post('/v1/admin/users/:id/disable', async (req, res) => {
    requireUser(res, ['admin']);
    const { id } = parseInput(userParamsSchema, req.params);
    parseInput(z.strictObject({}), req.body);
    await sendIdempotent(req, res, idempotencyOf(ctx, res), async (tx) => {
      const user = await deactivateUser({ ...ctx, db: tx }, id);
      return { status: 200, body: { id: user.id, object: 'user', disabled: true } };
    });
  });

  return router;
}
