import {
  changePasswordInputSchema,
  loginInputSchema,
  passwordResetConfirmInputSchema,
  passwordResetRequestInputSchema,
  refreshInputSchema,
  registerInputSchema,
  verifyEmailInputSchema,
  z,
} from '@expe/contracts';
import {
  AppError,
  parseInput,
  postRoute,
  postRouteWithoutIdempotency,
  requireUser,
  type Database,
} from '@expe/server-kit';
import express, { type Request, type Response, type Router } from 'express';
import { changePassword } from '../domain/change-password.js';
import { confirmPasswordReset } from '../domain/confirm-password-reset.js';
import { deactivateUser } from '../domain/deactivate-user.js';
import type { AuthContext } from '../domain/context.js';
import { getUser } from '../domain/get-user.js';
import { logIn } from '../domain/log-in.js';
import { logOut } from '../domain/log-out.js';
import { refreshSession } from '../domain/refresh-session.js';
import { registerUser } from '../domain/register-user.js';
import { requestPasswordReset } from '../domain/request-password-reset.js';
import { resendVerificationEmail } from '../domain/resend-verification-email.js';
import type { IssuedSession } from '../domain/sessions.js';
import { verifyEmail } from '../domain/verify-email.js';
import type { RefreshCookie } from './refresh-cookie.js';
import { toSessionResource, toUserResource } from '../domain/resources.js';

/** Endpoints without a body still refuse unknown parameters. */
const emptyInputSchema = z.strictObject({});

export function createAuthRouter(
  ctx: AuthContext & { db: Database },
  cookie: RefreshCookie,
): Router {
  const router = express.Router();

  // Every POST takes Idempotency-Key. Signed-in ones run under the caller's key like every
  // other service's (answers in auth.idempotency_keys). The anonymous ones only have it checked
  // (postRouteWithoutIdempotency): an anonymous caller has no keys of its own, and each says
  // below why it is safe to retry as it is.

  const sendSession = (res: Response, status: number, session: IssuedSession) => {
    cookie.set(res, session.refreshToken);
    res.setHeader('Cache-Control', 'no-store');
    res.status(status).json(toSessionResource(session));
  };

  /** The body wins over the cookie: an API client says explicitly which token it means. */
  const presentedRefreshToken = (req: Request) =>
    parseInput(refreshInputSchema, req.body).refresh_token ?? cookie.read(req);

  postRouteWithoutIdempotency(
    router,
    '/v1/auth/register',
    'answers with an access and a refresh token, credentials never stored; an anonymous caller has no keys of its own; a retry is refused as email_taken',
    async (req, res) => {
      const input = parseInput(registerInputSchema, req.body);
      sendSession(res, 201, await registerUser(ctx, input));
    },
  );

  postRouteWithoutIdempotency(
    router,
    '/v1/auth/login',
    'answers with an access and a refresh token, credentials never stored; an anonymous caller has no keys of its own; logging in again is a fresh session',
    async (req, res) => {
      const input = parseInput(loginInputSchema, req.body);
      sendSession(res, 200, await logIn(ctx, input, res.locals.clientIp));
    },
  );

  postRouteWithoutIdempotency(
    router,
    '/v1/auth/refresh',
    'answers with a rotated refresh token, a credential never stored; the presented token is single-use (a replay of a spent one revokes its family by design)',
    async (req, res) => {
      const refreshToken = presentedRefreshToken(req);
      if (!refreshToken) {
        throw AppError.of(
          'parameter_missing',
          'Missing required param: refresh_token (in the body or the expe_refresh cookie)',
          { param: 'refresh_token' },
        );
      }
      sendSession(res, 200, await refreshSession(ctx, refreshToken));
    },
  );

  postRouteWithoutIdempotency(
    router,
    '/v1/auth/logout',
    'anonymous (the refresh token is the credential); ending a session that has ended is a no-op',
    async (req, res) => {
      await logOut(ctx, presentedRefreshToken(req));
      cookie.clear(res);
      res.status(204).end();
    },
  );

  postRouteWithoutIdempotency(
    router,
    '/v1/auth/verify-email',
    'anonymous, authorized by a single-use token; a retry with a spent token is refused as such',
    async (req, res) => {
      const { token } = parseInput(verifyEmailInputSchema, req.body);
      res.json(toUserResource(await verifyEmail(ctx, token)));
    },
  );

  postRoute(router, '/v1/auth/verify-email/resend', {
    parse: (req, res) => {
      const caller = requireUser(res);
      parseInput(emptyInputSchema, req.body);
      return caller;
    },
    run: async (tx, caller) => {
      await resendVerificationEmail({ ...ctx, db: tx }, caller.userId);
      return { status: 202, body: {} };
    },
  });

  postRouteWithoutIdempotency(
    router,
    '/v1/auth/password-reset/request',
    'anonymous; always 202 whatever the address, and a second request only sends another link',
    (req, res) => {
      const { email } = parseInput(passwordResetRequestInputSchema, req.body);
      requestPasswordReset(ctx, email);
      res.status(202).json({});
    },
  );

  postRouteWithoutIdempotency(
    router,
    '/v1/auth/password-reset/confirm',
    'anonymous, authorized by a single-use token that carries the new password; a retry is refused as a spent token',
    async (req, res) => {
      const input = parseInput(passwordResetConfirmInputSchema, req.body);
      await confirmPasswordReset(ctx, input);
      res.status(204).end();
    },
  );

  postRoute(router, '/v1/auth/password', {
    parse: (req, res) => ({
      caller: requireUser(res),
      input: parseInput(changePasswordInputSchema, req.body),
    }),
    run: async (tx, { caller, input }) => {
      await changePassword({ ...ctx, db: tx }, caller, input);
      return { status: 204, body: undefined };
    },
  });

  router.get('/v1/auth/me', async (_req, res) => {
    const caller = requireUser(res);
    res.json(toUserResource(await getUser(ctx.db, caller.userId)));
  });

  // Deletes the account: sign-in and every session end now; the records stay for the ledger.
  router.delete('/v1/auth/me', async (req, res) => {
    const caller = requireUser(res);
    parseInput(emptyInputSchema, req.body);
    const user = await deactivateUser(ctx, caller.userId);
    cookie.clear(res);
    res.json({ id: user.id, object: 'user', deleted: true });
  });

  return router;
}
