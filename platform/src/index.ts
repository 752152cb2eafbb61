import type { PGlite } from '@electric-sql/pglite';
import { loadAuthConfig, startAuth } from '@expe/auth';
import { loadGatewayConfig, startGateway } from '@expe/gateway';
import { loadMerchantsConfig, startMerchants } from '@expe/merchants';
import { loadPaymentsConfig, startPayments } from '@expe/payments';
import { loadWebhooksConfig, startWebhooks } from '@expe/webhooks';
import { setLogDestination, type RunningService } from '@expe/server-kit';
import { generateIdentityKeys, identityEnvFor, type IdentityKeys } from './identity-keys.js';
import { platformPortsSetting } from './platform-ports.js';

export interface PlatformOptions {
  /** Variables every service reads: secrets, DATABASE_URL, REDIS_URL, REDIS_KEY_PREFIX, … */
  env: Record<string, string | undefined>;
  /** The embedded database, when DATABASE_URL is not set. */
  pglite?: PGlite;
  /**
   * Listening ports; 0 picks free ones (tests). `stripe` is the gateway's Stripe-compatible
   * API: 12111 by default, any free port when the gateway's is 0.
   */
  ports?: Partial<
    Record<'gateway' | 'auth' | 'merchants' | 'payments' | 'webhooks' | 'stripe', number>
  >;
  /** Address the gateway listens on; the services always listen on loopback here. */
  gatewayHost?: string;
  /** The issuers' identity keypairs; default a fresh one per issuer. Each service gets its own. */
  identityKeys?: IdentityKeys;
  /**
   * Where every service's log lines go instead of stdout (one JSON line per write), at the
   * env's LOG_LEVEL: a test reads them, e.g. to look for secrets. Until `close()`, it is this
   * process's log destination (`setLogDestination`).
   */
  logDestination?: NodeJS.WritableStream;
}

export interface Platform {
  gatewayUrl: string;
  /** The Stripe-compatible API, unless STRIPE_ENABLED=false. */
  stripeUrl: string | undefined;
  services: Record<string, RunningService>;
  close(): Promise<void>;
}

/**
 * Starts every service in this process, each on its own port exactly as it would run alone,
 * in dependency order (merchants, auth, payments, webhooks, gateway). Closing stops them in reverse order.
 */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const ports = {
    gateway: 4000,
    auth: 4001,
    merchants: 4002,
    payments: 4003,
    webhooks: 4004,
    ...options.ports,
  };
  const identityKeys = options.identityKeys ?? generateIdentityKeys();
  const env = (name: keyof typeof ports, extra: Record<string, string> = {}) => ({
    ...options.env,
    ...identityEnvFor(name, identityKeys),
    PORT: String(ports[name]),
    HOST: '127.0.0.1',
    ...extra,
  });
  // Payments writes the gateway's public address into every checkout_url, so it must be known
  // before payments starts: with a fixed port it is; with port 0 (tests) payments keeps its
  // default, as reserving a port here and binding it later would race other processes.
  const gatewayHost = options.gatewayHost ?? '127.0.0.1';
  const publicUrl =
    ports.gateway === 0
      ? undefined
      : `http://${gatewayHost === '0.0.0.0' ? '127.0.0.1' : gatewayHost}:${ports.gateway}`;
  const checkoutBaseUrl = options.env.CHECKOUT_BASE_URL ?? publicUrl;
  const started: RunningService[] = [];
  const restoreLogDestination = options.logDestination
    ? setLogDestination(options.logDestination)
    : () => undefined;
  const closeStarted = async () => {
    try {
      await closeAll(started);
    } finally {
      restoreLogDestination();
    }
  };
  try {
    const merchants = await startMerchants(loadMerchantsConfig(env('merchants')), {
      pglite: options.pglite,
    });
    started.push(merchants);
    const auth = await startAuth(loadAuthConfig(env('auth', { MERCHANTS_URL: merchants.url })), {
      pglite: options.pglite,
    });
    started.push(auth);
    const payments = await startPayments(
      loadPaymentsConfig(
        env('payments', {
          AUTH_URL: auth.url,
          MERCHANTS_URL: merchants.url,
          ...(checkoutBaseUrl ? { CHECKOUT_BASE_URL: checkoutBaseUrl } : {}),
        }),
      ),
      { pglite: options.pglite },
    );
    started.push(payments);
    const webhooks = await startWebhooks(
      loadWebhooksConfig(
        env('webhooks', {
          WEBHOOK_PLATFORM_PORTS: platformPortsSetting({
            env: options.env,
            ports: [
              ports.gateway,
              ports.stripe,
              ...[merchants, auth, payments].map((service) => Number(new URL(service.url).port)),
            ],
          }),
        }),
      ),
      {
        pglite: options.pglite,
      },
    );
    started.push(webhooks);
    const gateway = await startGateway(
      loadGatewayConfig(
        env('gateway', {
          HOST: gatewayHost,
          ...(ports.stripe !== undefined ? { STRIPE_PORT: String(ports.stripe) } : {}),
          AUTH_URL: auth.url,
          MERCHANTS_URL: merchants.url,
          PAYMENTS_URL: payments.url,
          WEBHOOKS_URL: webhooks.url,
        }),
      ),
    );
    started.push(gateway);
    return {
      gatewayUrl: gateway.url,
      stripeUrl: gateway.stripeUrl,
      services: { gateway, auth, merchants, payments, webhooks },
      close: closeStarted,
    };
  } catch (error) {
    await closeStarted();
    throw error;
  }
}

async function closeAll(services: RunningService[]): Promise<void> {
  for (const service of [...services].reverse()) await service.close();
}
export * from './identity-keys.js';
export * from './platform-ports.js';
export * from './processes.js';
