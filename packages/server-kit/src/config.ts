import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { ForwardedKind, IdentitySigner, IdentityVerifier } from './identity.js';
import { Secret } from './secret.js';

/** Thrown when the environment does not satisfy a service's config schema. */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      `invalid configuration: ${problems.map((p) => `${p.variable}: ${p.message}`).join('; ')}`,
    );
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once with a zod schema. Every failing variable is named in the error,
 * so `main.ts` can print it and exit non-zero before anything starts.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({
        variable: issue.path.map(String).join('.') || '(environment)',
        message: issue.message,
      })),
    );
  }
  return result.data;
}

/** A required secret: at least 32 characters, no default, wrapped so it cannot be logged. */
export function secretVar(description: string) {
  return z
    .string({ error: 'is required' })
    .min(32, 'must be at least 32 characters')
    .transform((value) => new Secret(value))
    .describe(description);
}

const booleanish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export function boolVar(defaultValue: boolean, description: string) {
  return booleanish.default(defaultValue).describe(description);
}

export function intVar(defaultValue: number, description: string, min = 0) {
  return z.coerce.number().int().min(min).default(defaultValue).describe(description);
}

/** Variables every Expe service reads. */
export const baseConfigShape = {
  NODE_ENV: z
    .enum(['development', 'test', 'production'])
    .default('development')
    .describe('development, test or production; production turns off the dev mailbox'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level'),
  DATABASE_URL: z
    .string()
    .url()
    .optional()
    .describe(
      'PostgreSQL connection string; unset = embedded PGlite under .expe/ (npm start only)',
    ),
  DATABASE_POOL_SIZE: intVar(
    10,
    "most PostgreSQL connections one service process opens (mind the server's max_connections across replicas)",
    1,
  ),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379').describe('Redis connection string'),
  REDIS_KEY_PREFIX: z.string().default('expe:').describe('prefix of every Redis key'),
  SHUTDOWN_TIMEOUT_MS: intVar(10_000, 'how long SIGTERM waits for in-flight requests'),
  SHUTDOWN_DRAIN_MS: intVar(
    0,
    'after SIGTERM, how long keep-alive connections are drained (each answered with Connection: close) before idle ones are closed; 3000 in the charts',
  ),
  HOST: z.string().default('0.0.0.0').describe('address to listen on'),
};

/** Services that take `Idempotency-Key` on their POSTs (the route kit's `postRoute`). */
export const idempotencyConfigShape = {
  IDEMPOTENCY_TTL_SECONDS: intVar(
    86_400,
    'how long an Idempotency-Key and its stored response are kept',
    1,
  ),
};

/** The listening port of a service, with its conventional default. */
export function portVar(defaultPort: number) {
  return z.coerce
    .number()
    .int()
    .min(0)
    .max(65_535)
    .default(defaultPort)
    .describe('HTTP port (0 = any free port)');
}

/** A PEM key, as it is or base64-encoded (one line, for Secrets and ConfigMaps). */
function pemOf(value: string): string {
  const trimmed = value.trim();
  return trimmed.startsWith('-----BEGIN')
    ? trimmed
    : Buffer.from(trimmed, 'base64').toString('utf8').trim();
}

function p256Key(make: (pem: string) => KeyObject) {
  return (value: string, ctx: z.RefinementCtx): KeyObject => {
    try {
      const key = make(pemOf(value));
      if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
        return key;
      }
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: 'must be a P-256 (ES256) key in PEM, or its base64' });
    return z.NEVER;
  };
}

/**
 * A deployable's own ES256 private key (PEM or base64 of the PEM), required. It signs the
 * identity it sends to other services; printing the KeyObject shows no key material.
 */
export function privateKeyVar(description: string) {
  return z
    .string({ error: 'is required' })
    .transform(p256Key((pem) => createPrivateKey(pem)))
    .describe(description);
}

/**
 * Another deployable's public key. Node would derive one from a private key too: that is
 * refused, so an issuer's private key is never handed to the services that trust it.
 */
function publicKeyOf(pem: string): KeyObject {
  if (pem.includes('PRIVATE KEY')) throw new Error('a private key where a public key goes');
  return createPublicKey(pem);
}

/** Another deployable's ES256 public key (PEM, certificate or base64 of either), required. */
export function publicKeyVar(description: string) {
  return z.string({ error: 'is required' }).transform(p256Key(publicKeyOf)).describe(description);
}

/** The key a deployable that calls services signs its identity with (ADR 0008). */
export const identityPrivateKeyShape = {
  IDENTITY_PRIVATE_KEY: privateKeyVar(
    'own ES256 private key (PEM or base64 of it) that signs the identity sent to the services this one calls; no other deployable holds it',
  ),
};

/**
 * The public key of an issuer this service accepts X-Expe-Identity from; `optional` for an
 * issuer that need not be deployed (the operator): unset, it is not trusted.
 */
export function trustedIssuerVar(issuer: string) {
  return publicKeyVar(
    `public key (PEM or base64 of it) of ${issuer}'s identity signatures; identities ${issuer} signs for this service are accepted`,
  );
}

export function optionalTrustedIssuerVar(issuer: string) {
  return z
    .string()
    .transform(p256Key(publicKeyOf))
    .optional()
    .describe(
      `public key (PEM or base64 of it) of ${issuer}'s identity signatures; unset = identities signed by ${issuer} are refused`,
    );
}

/** The variable holding the public key of `issuer`: IDENTITY_PUBLIC_KEY_<ISSUER>. */
export function publicKeyVariable(issuer: string): string {
  return `IDENTITY_PUBLIC_KEY_${issuer.toUpperCase()}`;
}

/** The issuing deployable's signer from its IDENTITY_PRIVATE_KEY. */
export function identitySignerOf(
  issuer: string,
  config: { IDENTITY_PRIVATE_KEY: KeyObject },
): IdentitySigner {
  return { issuer, privateKey: config.IDENTITY_PRIVATE_KEY };
}

/**
 * What `audience` accepts: the issuers of the allow-list, each with the key from its
 * IDENTITY_PUBLIC_KEY_<ISSUER> variable (an optional issuer without its key is not trusted)
 * and the principals it may forward besides its own `service` principal.
 */
export function identityVerifierOf(
  audience: string,
  config: object,
  allow: Record<string, readonly ForwardedKind[]>,
): IdentityVerifier {
  const issuers: IdentityVerifier['issuers'] = {};
  for (const [issuer, forwards] of Object.entries(allow)) {
    const publicKey = (config as Record<string, unknown>)[publicKeyVariable(issuer)];
    if (publicKey !== undefined) issuers[issuer] = { publicKey: publicKey as KeyObject, forwards };
  }
  return { audience, issuers };
}
