import { z } from 'zod';
import {
  baseConfigShape,
  identityPrivateKeyShape,
  intVar,
  loadConfig,
  portVar,
  secretVar,
  trustedIssuerVar,
} from '@expe/server-kit';

const serviceUrl = (defaultUrl: string, description: string) =>
  z.string().url().default(defaultUrl).describe(description);

export const paymentsConfigSchema = z.object({
  ...baseConfigShape,
  ...identityPrivateKeyShape,
  IDENTITY_PUBLIC_KEY_GATEWAY: trustedIssuerVar('gateway'),
  PORT: portVar(4003),
  PAYMENTS_CLIENT_SECRET_KEY: secretVar(
    "HMAC key that derives each payment's client_secret (never stored); changing it invalidates open checkouts",
  ),
  AUTH_URL: serviceUrl(
    'http://127.0.0.1:4001',
    'base URL of the auth service (wallet owners, VPA and email lookups)',
  ),
  MERCHANTS_URL: serviceUrl(
    'http://127.0.0.1:4002',
    'base URL of the merchants service (merchant names, the merchant of a signed-in user)',
  ),
  CHECKOUT_BASE_URL: serviceUrl(
    'http://127.0.0.1:4000',
    'public origin of the hosted checkout page; checkout_url is {origin}/pay/{id}#{client_secret}',
  ),
  MAX_AMOUNT: intVar(
    100_000_000,
    'largest amount of one payment, refund, top-up or transfer, in minor units (default ₹10 lakh)',
    1,
  ),
  PAYMENT_EXPIRY_SECONDS: intVar(
    86_400,
    'an unpaid payment expires this many seconds after it was created',
    1,
  ),
  UPI_PENDING_DELAY_MS: intVar(
    5_000,
    'how long a payment confirmed with the sandbox VPA pending@expe stays processing before it succeeds',
  ),
  WALLET_TOPUP_DAILY_LIMIT: intVar(
    10_000_000,
    'most a user may top up their wallet per UTC day, in paise (default ₹1 lakh)',
    1,
  ),
  RELAY_INTERVAL_MS: intVar(
    10_000,
    'the outbox relay moves committed events to the webhooks queue and the WebSocket channels as soon as a transaction that recorded one commits (LISTEN/NOTIFY); besides, it looks this often for events a notification missed (0 = relay off)',
  ),
  SCHEDULER_INTERVAL_MS: intVar(
    1_000,
    'how often the scheduler completes due pending UPI payments and expires unpaid ones while the service is busy (an event in the last minute); it also deletes expired Idempotency-Keys every 5 minutes (0 = scheduler off)',
  ),
  SCHEDULER_IDLE_INTERVAL_MS: intVar(
    30_000,
    'how often the scheduler looks for due work once nothing has happened for a minute: due work that nothing else announces (an expiry hours later) is done at most this late',
  ),
  SANDBOX_SWEEP_INTERVAL_MS: intVar(
    5_000,
    'how often the scheduler archives the test data of sandbox projects that ended (at most this long after the end; 0 = off)',
  ),
  IDEMPOTENCY_TTL_SECONDS: intVar(
    86_400,
    'how long an Idempotency-Key and its stored response are kept',
    1,
  ),
});
export type PaymentsConfig = z.infer<typeof paymentsConfigSchema>;

export function loadPaymentsConfig(
  env: Record<string, string | undefined> = process.env,
): PaymentsConfig {
  return loadConfig(paymentsConfigSchema, env);
}
