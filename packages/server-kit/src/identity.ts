import type { KeyObject } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import jwt from 'jsonwebtoken';
import { AppError } from './errors.js';
import { VerifiedTokens } from './verified-tokens.js';

/**
 * Who is calling, as the gateway established it. Services never see raw credentials: the
 * gateway verifies them and forwards this, signed, in the `X-Expe-Identity` header. A service
 * calling another signs its own `service` principal the same way, with its own key.
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
const algorithm = 'ES256';

/** The principals an issuer may assert for someone else; any issuer may assert itself. */
export type ForwardedKind = Exclude<Principal['kind'], 'service'>;

/** What the gateway forwards: whoever called the public API. */
export const gatewayForwards: readonly ForwardedKind[] = ['anonymous', 'user', 'api_key'];

/** A deployable that signs identities: its name (the token's `iss`) and its own private key. */
export interface IdentitySigner {
  issuer: string;
  privateKey: KeyObject;
}

/**
 * What a receiving service accepts: its own name (the token's `aud`) and an explicit list of
 * issuers, each with its public key and the principals it may forward besides itself (ADR 0008).
 */
export interface IdentityVerifier {
  audience: string;
  issuers: Record<string, { publicKey: KeyObject; forwards?: readonly ForwardedKind[] }>;
}

/** How many signed tokens a signer keeps for reuse, the oldest dropped first. */
const maxReusedTokens = 10_000;

type ReusedToken = { token: string; renewAt: number };

/** Tokens a signer made, by what they say: reused while young (`signIdentity`). */
const signedBySigner = new WeakMap<IdentitySigner, Map<string, ReusedToken>>();

/**
 * The same tokens found by the principal object itself when it is frozen (it cannot say
 * something else later): the gateway passes the same frozen principal for every request of a
 * key or a session, and this finds its token without writing the principal out as JSON
 * (issue 23). Per signer, per principal, by `ttlSeconds`, audience and client address.
 */
const signedForFrozen = new WeakMap<IdentitySigner, WeakMap<Principal, Map<string, ReusedToken>>>();

/**
 * Signs a principal for one hop to one service (`audience`). ES256 with the issuer's own key,
 * so a service can only speak for itself. Valid `ttlSeconds` (60).
 *
 * A token says who calls, for whom and from where, not which request (the request id travels
 * in `X-Request-Id`), so the same one serves every request of that principal to that audience
 * from that address while less than half its lifetime has passed: it always reaches the service
 * with at least half its lifetime left, and an ECDSA signature per request is saved (ADR 0013).
 */
export function signIdentity(
  signer: IdentitySigner,
  principal: Principal,
  options: {
    audience: string | string[];
    clientIp?: string | undefined;
    ttlSeconds?: number;
  },
): string {
  const ttlSeconds = options.ttlSeconds ?? 60;
  const audience =
    typeof options.audience === 'string'
      ? `'${options.audience}`
      : JSON.stringify(options.audience);
  const where = `${ttlSeconds}\n${audience}\n${options.clientIp ?? ''}`;
  const now = Date.now();
  let byWhere: Map<string, ReusedToken> | undefined;
  if (Object.isFrozen(principal)) {
    let byPrincipal = signedForFrozen.get(signer);
    if (!byPrincipal) signedForFrozen.set(signer, (byPrincipal = new WeakMap()));
    byWhere = byPrincipal.get(principal);
    if (!byWhere) byPrincipal.set(principal, (byWhere = new Map<string, ReusedToken>()));
    const reusable = byWhere.get(where);
    if (reusable && reusable.renewAt > now) return reusable.token;
  }
  const key = `${where}\n${JSON.stringify(principal)}`;
  let signed = signedBySigner.get(signer);
  if (!signed) signedBySigner.set(signer, (signed = new Map<string, ReusedToken>()));
  let reusable = signed.get(key);
  if (!reusable || reusable.renewAt <= now) {
    reusable = signNew(signer, principal, options, ttlSeconds, now);
    signed.delete(key);
    signed.set(key, reusable);
    if (signed.size > maxReusedTokens) signed.delete(signed.keys().next().value!);
  }
  if (byWhere) {
    byWhere.set(where, reusable);
    // One principal seen from many addresses: keep its newest few.
    if (byWhere.size > maxAddressesPerPrincipal) byWhere.delete(byWhere.keys().next().value!);
  }
  return reusable.token;
}

/** Addresses (and audiences) a frozen principal keeps tokens for in `signedForFrozen`. */
const maxAddressesPerPrincipal = 64;

function signNew(
  signer: IdentitySigner,
  principal: Principal,
  options: { audience: string | string[]; clientIp?: string | undefined },
  ttlSeconds: number,
  now: number,
): ReusedToken {
  const token = jwt.sign({ p: principal, ip: options.clientIp }, signer.privateKey, {
    algorithm,
    issuer: signer.issuer,
    audience: options.audience,
    expiresIn: ttlSeconds,
  });
  return { token, renewAt: now + ttlSeconds * 500 };
}

export interface VerifiedIdentity {
  principal: Principal;
  /** The deployable that signed the token. */
  issuer: string;
  /** The client's address as the gateway saw it. */
  clientIp?: string | undefined;
}

/** Tokens each verifier accepted (`verifyIdentity`). */
const verifiedByVerifier = new WeakMap<IdentityVerifier, VerifiedTokens<VerifiedIdentity>>();

/**
 * Verifies a token with the public key of the issuer it names, if that issuer is on the list;
 * then checks the issuer may assert the principal: a `service` principal only for itself, any
 * other kind only if the issuer forwards it. Throws on any failure.
 *
 * A token this verifier has accepted before is accepted again without a second ECDSA check
 * until it expires: only the very same bytes match, so signature, issuer, audience and what
 * the issuer may assert were checked for them; the expiry is checked on every call.
 */
export function verifyIdentity(verifier: IdentityVerifier, token: string): VerifiedIdentity {
  let verified = verifiedByVerifier.get(verifier);
  if (!verified) verifiedByVerifier.set(verifier, (verified = new VerifiedTokens()));
  const known = verified.get(token);
  if (known) return known;
  const unverified = jwt.decode(token, { json: true });
  const issuer = unverified?.iss;
  const trusted =
    typeof issuer === 'string' && Object.hasOwn(verifier.issuers, issuer)
      ? verifier.issuers[issuer]
      : undefined;
  if (!issuer || !trusted) throw new Error(`identity issuer not accepted: ${String(issuer)}`);
  const payload = jwt.verify(token, trusted.publicKey, {
    algorithms: [algorithm],
    audience: verifier.audience,
    issuer,
  }) as { p?: Principal; ip?: string; exp?: number };
  const principal = payload.p;
  if (!principal || typeof principal !== 'object' || !('kind' in principal)) {
    throw new Error('identity token without principal');
  }
  const allowed =
    principal.kind === 'service'
      ? principal.name === issuer
      : (trusted.forwards ?? []).includes(principal.kind);
  if (!allowed) throw new Error(`${issuer} may not assert a ${principal.kind} principal`);
  // Shared by every request that presents the token: nobody may change it.
  const identity = Object.freeze({
    principal: Object.freeze(principal),
    issuer,
    clientIp: payload.ip,
  });
  if (typeof payload.exp === 'number') verified.set(token, identity, payload.exp);
  return identity;
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
 * Refuses every request that did not come through the gateway (or another service this one
 * trusts). Mounted in front of all routes except health and metrics.
 */
export function requireGatewayIdentity(verifier: IdentityVerifier): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const token = req.header(identityHeader);
    if (!token) {
      throw AppError.of(
        'gateway_credential_required',
        'This service only accepts requests that come through the Expe gateway',
      );
    }
    try {
      const { principal, clientIp } = verifyIdentity(verifier, token);
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
