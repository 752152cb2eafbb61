import { idSchema, z } from '@expe/contracts';
import { parseInput, postRoute, requireUser, type Database } from '@expe/server-kit';
import express, { type Router } from 'express';
import type { AuthContext } from '../domain/context.js';
import { deactivateUser } from '../domain/deactivate-user.js';

const userParamsSchema = z.object({ id: idSchema('usr') });

/** What only admins may do to other people's accounts. */
export function createAdminRouter(ctx: AuthContext & { db: Database }): Router {
  const router = express.Router();

  postRoute(router, '/v1/admin/users/:id/disable', {
    parse: (req, res) => {
      requireUser(res, ['admin']);
      const { id } = parseInput(userParamsSchema, req.params);
      parseInput(z.strictObject({}), req.body);
      return id;
    },
    run: async (tx, id) => {
      const user = await deactivateUser({ ...ctx, db: tx }, id);
      return { status: 200, body: { id: user.id, object: 'user', disabled: true } };
    },
  });

  return router;
}
