import express, { type Router } from 'express';
import { authInternalApi as api } from '@expe/contracts';
import { serveInternal } from '@expe/server-kit';
import type { UserRow } from '../domain/resources.js';
import type { AuthContext } from '../domain/context.js';
import { getUser } from '../domain/get-user.js';
import { resolveUser } from '../domain/resolve-user.js';

/** What other services may know about a user: never the password hash or token state. */
export function toInternalUser(user: UserRow) {
  return { id: user.id, email: user.email, name: user.name, vpa: user.vpa, role: user.role };
}

/**
 * The internal API of `@expe/contracts` (`authInternalApi`), which names each route's callers
 * and schemas; the gateway never forwards `/internal/...`.
 */
export function createInternalRouter(ctx: AuthContext): Router {
  const router = express.Router();

  serveInternal(router, api.getUser, async ({ params }) => ({
    status: 200,
    body: toInternalUser(await getUser(ctx.db, params.id)),
  }));

  serveInternal(router, api.resolveUser, async ({ body }) => ({
    status: 200,
    body: toInternalUser(await resolveUser(ctx.db, body.handle)),
  }));

  return router;
}
