import { z } from 'zod';
import {
  baseConfigShape,
  identityPrivateKeyShape,
  intVar,
  loadConfig,
  portVar,
  secretVar,
  boolVar,
} from '@expe/server-kit';

const urlList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

export const gatewayConfigSchema = z.object({
  ...baseConfigShape,
  ...identityPrivateKeyShape,
  PORT: portVar(4000),
  STRIPE_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65_535)
    .optional()
    .describe(
      'port of the Stripe-compatible API; default 12111, or any free port when PORT is 0 (tests)',
    ),
  STRIPE_ENABLED: boolVar(true, 'serve the Stripe-compatible API on STRIPE_PORT'),
  JWT_SECRET: secretVar('key that verifies access tokens (shared with the auth service)'),
  AUTH_URL: z.url().default('http://127.0.0.1:4001').describe('base URL of the auth service'),
  MERCHANTS_URL: z
    .url()
    .default('http://127.0.0.1:4002')
    .describe('base URL of the merchants service'),
  PAYMENTS_URL: z
    .url()
    .default('http://127.0.0.1:4003')
    .describe('base URL of the payments service'),
  WEBHOOKS_URL: z
    .url()
    .default('http://127.0.0.1:4004')
    .describe('base URL of the webhooks service'),
  WEB_DIST_DIR: z
    .string()
    .optional()
    .describe('folder of the built web app (web/dist) to serve at /; unset = API only'),
  WS_PING_INTERVAL_MS: intVar(
    30_000,
    'how often WebSocket peers are pinged; a silent one is dropped',
    100,
  ),
  WS_RECHECK_SECONDS: intVar(
    30,
    'how often each WebSocket subscription checks its credential again as HTTP would (a backstop: revocations close sockets at once)',
    1,
  ),
  WS_MAX_MESSAGE_BYTES: intVar(
    16_384,
    'largest WebSocket message a client may send; a bigger one closes the socket with 1009',
    256,
  ),
  WS_MAX_MESSAGE_DEPTH: intVar(
    16,
    'deepest nesting of arrays and objects in a WebSocket message; deeper is refused with an error message',
    1,
  ),
  WS_MESSAGE_RATE: intVar(
    20,
    'messages per second a WebSocket client may send on average (a token bucket per connection); faster closes the socket with 4429',
    1,
  ),
  WS_MESSAGE_BURST: intVar(
    40,
    'messages a WebSocket client may send at once before WS_MESSAGE_RATE applies',
    1,
  ),
  CORS_ORIGINS: urlList.describe(
    'comma-separated browser origins allowed to call the API with credentials (empty = none)',
  ),
  BODY_LIMIT: z
    .string()
    .default('100kb')
    .describe('largest request body accepted (bytes, or 100kb)'),
  RATE_LIMIT_WINDOW_MS: intVar(1_000, 'sliding window of the rate limits, in milliseconds', 1),
  RATE_LIMIT_PER_KEY: intVar(100, 'requests per window for one API key or one signed-in user', 1),
  RATE_LIMIT_PER_IP: intVar(200, 'requests per window from one client IP address', 1),
  API_KEY_CACHE_TTL_MS: intVar(
    2_000,
    'how long a resolved API key is cached; a revoked key stops working within this time',
  ),
  SESSION_CHECK_CACHE_TTL_MS: intVar(
    0,
    'how long the answer "this session is not signed out" is reused (0: asked per request, concurrent checks of one session shared); a logout takes effect within this time',
  ),
  AUTH_FAILURES_PER_IP: intVar(
    60,
    'failed authentications (bad key or token) one client IP may make per window before it gets 429 without any lookup',
    1,
  ),
  AUTH_FAILURE_WINDOW_MS: intVar(60_000, 'window of AUTH_FAILURES_PER_IP, in milliseconds', 1),
  UPSTREAM_CONNECTIONS: intVar(
    64,
    'most open connections to each service; further requests queue in the gateway',
    1,
  ),
  MAX_IN_FLIGHT_PER_UPSTREAM: intVar(
    512,
    'requests one gateway process has in flight to one service before it sheds load with 503 and Retry-After',
    1,
  ),
  TRUST_PROXY: boolVar(
    false,
    'true when a reverse proxy in front sets X-Forwarded-For (so client IPs are read from it)',
  ),
  UPSTREAM_TIMEOUT_MS: intVar(30_000, 'how long a forwarded request may take', 1),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export function loadGatewayConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(gatewayConfigSchema, env);
}
