import { z } from 'zod';
import {
  baseConfigShape,
  boolVar,
  idempotencyConfigShape,
  intVar,
  loadConfig,
  optionalTrustedIssuerVar,
  portVar,
  secretVar,
  trustedIssuerVar,
} from '@expe/server-kit';

const durationUnits = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `250ms`, `5s`, `2m`, `1h`, `3d` → milliseconds; `undefined` when it is not a duration. */
export function parseDuration(value: string): number | undefined {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]) * durationUnits[match[2] as keyof typeof durationUnits];
}

function durationVar(defaultValue: string, description: string) {
  return z
    .string()
    .default(defaultValue)
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined || ms <= 0) {
        ctx.addIssue({ code: 'custom', message: 'must be a duration such as 500ms, 30s, 2m, 3d' });
        return z.NEVER;
      }
      return ms;
    })
    .describe(description);
}

const retryScheduleVar = z
  .string()
  .default('5s,30s,2m,10m,30m,1h,3h,6h')
  .transform((value, ctx) => {
    const delays = value.split(',').map(parseDuration);
    if (delays.length > 50 || delays.some((ms) => ms === undefined || ms <= 0)) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be up to 50 comma-separated durations such as 5s,30s,2m',
      });
      return z.NEVER;
    }
    return delays as number[];
  })
  .describe(
    'delays before each retry of a failed delivery (jitter ±10% is added); after the last one the delivery is failed',
  );

export const webhooksConfigSchema = z.object({
  ...baseConfigShape,
  ...idempotencyConfigShape,
  IDENTITY_PUBLIC_KEY_GATEWAY: trustedIssuerVar('gateway'),
  IDENTITY_PUBLIC_KEY_OPERATOR: optionalTrustedIssuerVar('the operator'),
  PORT: portVar(4004),
  WEBHOOK_SECRET_ENCRYPTION_KEY: secretVar(
    'key (32+ characters) that encrypts endpoint signing secrets at rest with AES-256-GCM',
  ),
  RELAY_INTERVAL_MS: intVar(
    10_000,
    'the outbox relay moves committed webhook_endpoint.* events to the fan-out and event-log queues as soon as their transaction commits (LISTEN/NOTIFY); besides, it looks this often for events a notification missed (0 = relay off)',
  ),
  RUN_WORKER: boolVar(
    true,
    'run the delivery worker in this process as well as the HTTP API (false = API only)',
  ),
  WORKER_CONCURRENCY: intVar(10, 'events and deliveries each worker processes at once', 1),
  DELIVERY_TIMEOUT_MS: intVar(
    10_000,
    'an attempt fails unless a 2xx arrives within this many milliseconds',
    100,
  ),
  RETRY_SCHEDULE: retryScheduleVar,
  DISABLE_AFTER_FAILING_FOR: durationVar(
    '3d',
    'an endpoint whose every attempt failed for this long, with no success in between, is disabled',
  ),
  WEBHOOK_ALLOW_LOOPBACK_IN_TEST: boolVar(
    true,
    'test-mode endpoints may use loopback URLs (localhost, 127.0.0.1, [::1]) on a developer machine; other private ranges stay refused. The charts set it to false',
  ),
  WEBHOOK_ALLOWED_PRIVATE_HOSTS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .describe(
      'comma-separated host names or .suffixes (e.g. .svc.cluster.local) that test-mode endpoints may use although they resolve to private addresses; never in live mode',
    ),
  WEBHOOK_PLATFORM_PORTS: z
    .string()
    .default('4000,4001,4002,4003,4004,5432,6379,12111')
    .transform((value, ctx) => {
      const ports = value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
        .map(Number);
      if (ports.some((port) => !Number.isInteger(port) || port < 1 || port > 65_535)) {
        ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of ports' });
      }
      return ports;
    })
    .describe(
      "loopback ports test-mode endpoints may not name: the platform's own services, PostgreSQL and Redis; npm start sets it to the ports it really started (its private PostgreSQL and Redis run on random ports)",
    ),
  WEBHOOK_CHAOS_SEED: z
    .string()
    .min(1)
    .default('expe')
    .describe(
      "seed of webhook chaos (an endpoint's simulate settings): the same seed, event and endpoint make the same duplicates, delays and order",
    ),
  WORKER_LOCK_DURATION_MS: intVar(
    30_000,
    'a job whose worker stops renewing its lock for this long (a crash) is handed to another worker',
    1_000,
  ),
  WORKER_STALLED_INTERVAL_MS: intVar(
    15_000,
    'how often workers look for jobs whose lock expired and put them back in the queue',
    500,
  ),
});
export type WebhooksConfig = z.infer<typeof webhooksConfigSchema>;

export function loadWebhooksConfig(
  env: Record<string, string | undefined> = process.env,
): WebhooksConfig {
  return loadConfig(webhooksConfigSchema, env);
}
