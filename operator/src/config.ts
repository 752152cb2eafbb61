import { z } from 'zod';
import { identityPrivateKeyShape, intVar, loadConfig, portVar } from '@expe/server-kit';

const namespaceList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name.length > 0),
  );

export const operatorConfigSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'test', 'production'])
    .default('development')
    .describe('development, test or production'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level'),
  HOST: z.string().default('0.0.0.0').describe('address /healthz and /metrics listen on'),
  PORT: portVar(8080),
  KUBECONFIG: z
    .string()
    .optional()
    .describe('kubeconfig file; unset = in-cluster service account, else ~/.kube/config'),
  MERCHANTS_URL: z
    .string()
    .url()
    .default('http://expe-merchants:4002')
    .describe("base URL of the merchants service's internal API"),
  WEBHOOKS_URL: z
    .string()
    .url()
    .default('http://expe-webhooks:4004')
    .describe('base URL of the webhooks service (WebhookEndpoint resources are registered there)'),
  GATEWAY_URL: z
    .string()
    .url()
    .optional()
    .describe(
      "base URL of the gateway (the public API); a Sandbox's spec.fixtures are applied through it with the sandbox's key. Unset: such a Sandbox is Degraded, reason FixturesUnavailable",
    ),
  ...identityPrivateKeyShape,
  WATCH_NAMESPACES: namespaceList.describe(
    'comma-separated namespaces whose Merchants, WebhookEndpoints and Sandboxes are reconciled; empty = all',
  ),
  LEASE_NAME: z
    .string()
    .min(1)
    .default('expe-operator')
    .describe('name of the leader-election Lease'),
  LEASE_NAMESPACE: z
    .string()
    .min(1)
    .default('default')
    .describe('namespace of the leader-election Lease'),
  LEASE_OWNER_DEPLOYMENT: z
    .string()
    .min(1)
    .optional()
    .describe(
      "the operator's own Deployment (same namespace as the Lease); the Lease it creates is owned by it and goes with it",
    ),
  LEASE_DURATION_SECONDS: intVar(
    15,
    'how long a Lease holds without renewal before another replica takes over',
    1,
  ),
  LEASE_RENEW_DEADLINE_SECONDS: intVar(
    10,
    'the holder steps down when it could not renew for this long',
    1,
  ),
  LEASE_RETRY_PERIOD_SECONDS: intVar(2, 'how often replicas try to acquire or renew the Lease', 1),
  POD_NAMESPACE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'the namespace the operator runs in (unset = LEASE_NAMESPACE); when it is being deleted, the operator releases the resources it watches there on shutdown, so the namespace can go',
    ),
  POD_NAME: z
    .string()
    .min(1)
    .optional()
    .describe('identity in the Lease; unset = hostname, process id and a random suffix'),
  CLEANUP_TIMEOUT_SECONDS: intVar(
    600,
    'how long deleting a resource retries its cleanup (revoking keys, removing the endpoint) while the Expe services fail; then the finalizer is removed with a CleanupAbandoned event',
  ),
  RESYNC_SECONDS: intVar(
    300,
    'every object is reconciled again at least this often (drift repair)',
    1,
  ),
});
export type OperatorConfig = z.infer<typeof operatorConfigSchema>;

export function loadOperatorConfig(
  env: Record<string, string | undefined> = process.env,
): OperatorConfig {
  return loadConfig(operatorConfigSchema, env);
}
