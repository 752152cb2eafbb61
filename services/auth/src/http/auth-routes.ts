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
  idempotencyKeyOf,
  parseInput,
  requireUser,
  sendIdempotent,
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
import { idempotencyOf } from './idempotency.js';
import type { RefreshCookie } from './refresh-cookie.js';
import { toSessionResource, toUserResource } from '../domain/resources.js';

/** Endpoints without a body still refuse unknown parameters. */
const emptyInputSchema = z.strictObject({});

export function createAuthRouter(
  ctx: AuthContext & { db: Database },
  cookie: RefreshCookie,
): Router {
  const router = express.Router();

  // Every POST takes Idempotency-Key. Anonymous ones (register, login, refresh, logout, the
  // email and reset tokens) only have it checked: their answers carry credentials, which are
  // never stored, and an anonymous caller has no keys of its own. Each is safe to retry as it
  // is (email_taken, single-use tokens, logout and reset requests idempotent). Signed-in POSTs
  // are run under the caller's key like every other service's.
  router.use((req, _res, next) => {
    if (req.method === 'POST') idempotencyKeyOf(req);
    next();
  });

  const sendSession = (res: Response, status: number, session: IssuedSession) => {
    cookie.set(res, session.refreshToken);
    res.setHeader('Cache-Control', 'no-store');
    res.status(status).json(toSessionResource(session));
  };

  /** The body wins over the cookie: an API client says explicitly which token it means. */
  const presentedRefreshToken = (req: Request) =>
    parseInput(refreshInputSchema, req.body).refresh_token ?? cookie.read(req);

  router.post('/v1/auth/register', async (req, res) => {
    const input = parseInput(registerInputSchema, req.body);
    sendSession(res, 201, await registerUser(ctx, input));
  });

  router.post('/v1/auth/login', async (req, res) => {
    const input = parseInput(loginInputSchema, req.body);
    sendSession(res, 200, await logIn(ctx, input, res.locals.clientIp));
  });

  router.post('/v1/auth/refresh', async (req, res) => {
    const refreshToken = presentedRefreshToken(req);
    if (!refreshToken) {
      throw AppError.of(
        'parameter_missing',
        'Missing required param: refresh_token (in the body or the expe_refresh cookie)',
        { param: 'refresh_token' },
      );
    }
    sendSession(res, 200, await refreshSession(ctx, refreshToken));
  });

  router.post('/v1/auth/logout', async (req, res) => {
    await logOut(ctx, presentedRefreshToken(req));
    cookie.clear(res);
    res.status(204).end();
  });

  router.post('/v1/auth/verify-email', async (req, res) => {
    const { token } = parseInput(verifyEmailInputSchema, req.body);
    res.json(toUserResource(await verifyEmail(ctx, token)));
  });

  router.post('/v1/auth/verify-email/resend', async (req, res) => {
    const caller = requireUser(res);
    parseInput(emptyInputSchema, req.body);
    await sendIdempotent(req, res, idempotencyOf(ctx, res), async (tx) => {
      await resendVerificationEmail({ ...ctx, db: tx }, caller.userId);
      return { status: 202, body: {} };
    });
  });

  router.post('/v1/auth/password-reset/request', (req, res) => {
    const { email } = parseInput(passwordResetRequestInputSchema, req.body);
    requestPasswordReset(ctx, email);
    res.status(202).json({});
  });

  router.post('/v1/auth/password-reset/confirm', async (req, res) => {
    const input = parseInput(passwordResetConfirmInputSchema, req.body);
    await confirmPasswordReset(ctx, input);
    res.status(204).end();
  });

  router.post('/v1/auth/password', async (req, res) => {
    const caller = requireUser(res);
    const input = parseInput(changePasswordInputSchema, req.body);
    await sendIdempotent(req, res, idempotencyOf(ctx, res), async (tx) => {
      await changePassword({ ...ctx, db: tx }, caller, input);
      return { status: 204, body: undefined };
    });
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
