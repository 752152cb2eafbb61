import type { NextFunction, Request, RequestHandler, Response } from 'express';
import jwt from 'jsonwebtoken';
import { AppError } from './errors.js';
import { hmacKeyOf, type Secret } from './secret.js';

/**
 * Who is calling, as the gateway established it. Services never see raw credentials: the
 * gateway verifies them and forwards this, signed, in the `X-Expe-Identity` header.
 */
export type Principal =
  | { kind: 'anonymous' }
  | {
      kind: 'user';
      userId: string;
      role: 'user' | 'merchant' | 'admin';
      email: string;
      sessionId: string;
    }
  | {
      kind: 'api_key';
      keyId: string;
      keyType: 'secret' | 'publishable';
      merchantId: string;
      projectId: string;
      mode: 'test' | 'live';
    }
  | { kind: 'service'; name: string };

export const identityHeader = 'x-expe-identity';
const issuer = 'expe-gateway';
const audience = 'expe-services';

/** Signs a principal for one hop. Short-lived: it is minted per request. */
export function signIdentity(
  secret: Secret,
  principal: Principal,
  options: { requestId?: string; clientIp?: string; ttlSeconds?: number; issuer?: string } = {},
): string {
  return jwt.sign(
    { p: principal, rid: options.requestId, ip: options.clientIp },
    hmacKeyOf(secret),
    {
      algorithm: 'HS256',
      issuer: options.issuer ?? issuer,
      audience,
      expiresIn: options.ttlSeconds ?? 60,
    },
  );
}

export interface VerifiedIdentity {
  principal: Principal;
  requestId?: string | undefined;
  /** The client's address as the gateway saw it. */
  clientIp?: string | undefined;
}

export function verifyIdentity(secret: Secret, token: string): VerifiedIdentity {
  const payload = jwt.verify(token, hmacKeyOf(secret), {
    algorithms: ['HS256'],
    audience,
  }) as { p?: Principal; rid?: string; ip?: string };
  if (!payload.p || typeof payload.p !== 'object' || !('kind' in payload.p)) {
    throw new Error('identity token without principal');
  }
  return { principal: payload.p, requestId: payload.rid, clientIp: payload.ip };
}

declare module 'express-serve-static-core' {
  interface Locals {
    principal: Principal;
    requestId: string;
    clientIp: string | undefined;
    /** Metric label for requests no Express route matched (the gateway names the upstream). */
    routeLabel?: string;
  }
}

/**
 * Refuses every request that did not come through the gateway (or another service holding the
 * internal key). Mounted in front of all routes except health and metrics.
 */
export function requireGatewayIdentity(secret: Secret): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const token = req.header(identityHeader);
    if (!token) {
      throw AppError.of(
        'gateway_credential_required',
        'This service only accepts requests that come through the Expe gateway',
      );
    }
    try {
      const { principal, clientIp } = verifyIdentity(secret, token);
      res.locals.principal = principal;
      res.locals.clientIp = clientIp;
    } catch {
      throw AppError.of(
        'gateway_credential_required',
        'The gateway credential is invalid or expired',
      );
    }
    next();
  };
}

type Of<K extends Principal['kind']> = Extract<Principal, { kind: K }>;

/** A signed-in person, optionally with one of the given roles. */
export function requireUser(res: Response, roles?: readonly Of<'user'>['role'][]): Of<'user'> {
  const principal = res.locals.principal;
  if (principal?.kind !== 'user') {
    throw AppError.of(
      'authentication_required',
      principal?.kind === 'api_key'
        ? 'This endpoint needs a signed-in user, not an API key'
        : 'You must sign in: send an access token in the Authorization header',
    );
  }
  if (roles && !roles.includes(principal.role)) {
    throw AppError.of('permission_denied', `This endpoint needs the ${roles.join(' or ')} role`);
  }
  return principal;
}

/** A merchant server calling with its secret key. */
export function requireSecretKey(res: Response): Of<'api_key'> {
  const principal = res.locals.principal;
  if (principal?.kind !== 'api_key') {
    throw AppError.of(
      'authentication_required',
      'You did not provide an API key: send Authorization: Bearer sk_test_…',
    );
  }
  if (principal.keyType !== 'secret') {
    throw AppError.of(
      'secret_key_required',
      'This endpoint needs a secret key (sk_…), not a publishable key',
    );
  }
  return principal;
}

/** Another Expe deployable (operator, auth) calling an internal route. */
export function requireService(res: Response, allowed?: readonly string[]): Of<'service'> {
  const principal = res.locals.principal;
  if (principal?.kind !== 'service' || (allowed && !allowed.includes(principal.name))) {
    throw AppError.of('permission_denied', 'Internal endpoint');
  }
  return principal;
}
