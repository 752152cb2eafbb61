import { z } from 'zod';
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
  INTERNAL_AUTH_SECRET: secretVar(
    'HMAC key the gateway signs caller identities with; services refuse requests without it',
  ),
  SHUTDOWN_TIMEOUT_MS: intVar(10_000, 'how long SIGTERM waits for in-flight requests'),
  SHUTDOWN_DRAIN_MS: intVar(
    0,
    'after SIGTERM, how long keep-alive connections are drained (each answered with Connection: close) before idle ones are closed; 3000 in the charts',
  ),
  HOST: z.string().default('0.0.0.0').describe('address to listen on'),
};

/** Services that take `Idempotency-Key` on their POSTs (the kit's `sendIdempotent`). */
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
