import type { Merchant, Sandbox, WebhookEndpoint } from '../src/api/v1alpha1/index.js';
import { createServiceClient, type Logger } from '@expe/server-kit';
import { countRows, testIdentityEnv, testSigner } from '@expe/testing';
import { expect } from 'vitest';
import type { V1Secret } from '@kubernetes/client-node';
import { createKubeClients, isApiStatus, type KubeClients } from '../src/kube/client.js';
import { customResourceApi } from '../src/kube/custom-resources.js';
import { loadOperatorConfig, startOperator, type RunningOperator } from '../src/index.js';
import type { TestPlatform } from '../../test/support/test-platform.js';
import type { WebhookReceiver } from '../../test/support/webhook-receiver.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` until `check` holds; returns the last value or throws with what it saw. */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (check(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await sleep(100);
  }
  throw new Error(
    `timed out waiting for ${what}; last value: ${JSON.stringify(last)} ${lastError instanceof Error ? lastError.message : ''}`,
  );
}

export function kubeFor(kubeconfigPath: string) {
  const kube = createKubeClients(kubeconfigPath);
  const merchants = customResourceApi(kube, 'merchant');
  const endpoints = customResourceApi(kube, 'webhookEndpoint');
  const sandboxes = customResourceApi(kube, 'sandbox');
  const { group, version } = { group: 'expe.dev', version: 'v1alpha1' };
  return {
    kube,
    merchants,
    endpoints,
    sandboxes,
    async createNamespace(name: string) {
      await kube.core.createNamespace({ body: { metadata: { name } } });
    },
    async createMerchant(namespace: string, merchant: Omit<Merchant, 'apiVersion' | 'kind'>) {
      const created: unknown = await kube.custom.createNamespacedCustomObject({
        group,
        version,
        namespace,
        plural: 'merchants',
        body: { apiVersion: 'expe.dev/v1alpha1', kind: 'Merchant', ...merchant },
      });
      return created as Merchant;
    },
    async createEndpoint(
      namespace: string,
      endpoint: Omit<WebhookEndpoint, 'apiVersion' | 'kind'>,
    ) {
      const created: unknown = await kube.custom.createNamespacedCustomObject({
        group,
        version,
        namespace,
        plural: 'webhookendpoints',
        body: { apiVersion: 'expe.dev/v1alpha1', kind: 'WebhookEndpoint', ...endpoint },
      });
      return created as WebhookEndpoint;
    },
    async createSandbox(namespace: string, sandbox: Omit<Sandbox, 'apiVersion' | 'kind'>) {
      const created: unknown = await kube.custom.createNamespacedCustomObject({
        group,
        version,
        namespace,
        plural: 'sandboxes',
        body: { apiVersion: 'expe.dev/v1alpha1', kind: 'Sandbox', ...sandbox },
      });
      return created as Sandbox;
    },
    async updateSandbox(namespace: string, name: string, change: (sandbox: Sandbox) => Sandbox) {
      for (;;) {
        const current = await sandboxes.get({ namespace, name });
        if (!current) throw new Error(`Sandbox ${namespace}/${name} is gone`);
        try {
          return await sandboxes.replace(change(current));
        } catch (error) {
          if (!isApiStatus(error, 409)) throw error;
        }
      }
    },
    async deleteSandbox(namespace: string, name: string) {
      await kube.custom.deleteNamespacedCustomObject({
        group,
        version,
        namespace,
        plural: 'sandboxes',
        name,
      });
    },
    /** Applies a change to the latest copy, retrying on write conflicts with the operator. */
    async updateMerchant(
      namespace: string,
      name: string,
      change: (merchant: Merchant) => Merchant,
    ) {
      for (;;) {
        const current = await merchants.get({ namespace, name });
        if (!current) throw new Error(`Merchant ${namespace}/${name} is gone`);
        try {
          return await merchants.replace(change(current));
        } catch (error) {
          if (!isApiStatus(error, 409)) throw error;
        }
      }
    },
    async updateEndpoint(
      namespace: string,
      name: string,
      change: (endpoint: WebhookEndpoint) => WebhookEndpoint,
    ) {
      for (;;) {
        const current = await endpoints.get({ namespace, name });
        if (!current) throw new Error(`WebhookEndpoint ${namespace}/${name} is gone`);
        try {
          return await endpoints.replace(change(current));
        } catch (error) {
          if (!isApiStatus(error, 409)) throw error;
        }
      }
    },
    async deleteMerchant(namespace: string, name: string) {
      await kube.custom.deleteNamespacedCustomObject({
        group,
        version,
        namespace,
        plural: 'merchants',
        name,
      });
    },
    async deleteEndpoint(namespace: string, name: string) {
      await kube.custom.deleteNamespacedCustomObject({
        group,
        version,
        namespace,
        plural: 'webhookendpoints',
        name,
      });
    },
    async secret(namespace: string, name: string): Promise<V1Secret | undefined> {
      try {
        return await kube.core.readNamespacedSecret({ namespace, name });
      } catch (error) {
        if (isApiStatus(error, 404)) return undefined;
        throw error;
      }
    },
    async deleteSecret(namespace: string, name: string) {
      await kube.core.deleteNamespacedSecret({ namespace, name });
    },
    async events(namespace: string) {
      return (await kube.core.listNamespacedEvent({ namespace })).items;
    },
  };
}
export type TestKube = ReturnType<typeof kubeFor>;
export type { KubeClients };

export function secretValue(secret: V1Secret | undefined, key: string): string | undefined {
  const encoded = secret?.data?.[key];
  return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
}

export function condition(
  object:
    { status?: { conditions?: { type: string; status: string; reason: string }[] } } | undefined,
  type: string,
) {
  return object?.status?.conditions?.find((c) => c.type === type);
}

/** Polls until `read` finds nothing: the object is deleted (a 404 reads as undefined). */
export function untilGone<T>(
  read: () => Promise<T | undefined>,
  what: string,
  timeoutMs?: number,
): Promise<T | undefined> {
  return eventually(read, (value) => value === undefined, what, timeoutMs);
}

/** Polls until the object `read` returns has its Ready condition True; returns it. */
export function untilReady<T extends Parameters<typeof condition>[0]>(
  read: () => Promise<T>,
  what: string,
  timeoutMs?: number,
): Promise<T> {
  return eventually(read, (value) => condition(value, 'Ready')?.status === 'True', what, timeoutMs);
}

/**
 * Polls until the object `read` returns waits on its Merchant (Ready with MerchantNotReady) and
 * holds that this is work under way (Progressing), not a fault (Degraded); returns it.
 */
export async function expectWaitingOnMerchant<T extends Parameters<typeof condition>[0]>(
  read: () => Promise<T>,
  what: string,
): Promise<T> {
  const waiting = await eventually(
    read,
    (value) => condition(value, 'Ready')?.reason === 'MerchantNotReady',
    what,
  );
  expect(condition(waiting, 'Progressing')).toMatchObject({
    status: 'True',
    reason: 'MerchantNotReady',
  });
  expect(condition(waiting, 'Degraded')?.status).toBe('False');
  return waiting;
}

/** How many rows the webhooks service holds for the endpoint, not deleted (0 or 1). */
export function liveEndpoints(databaseUrl: string, endpointId: string): Promise<number> {
  return countRows(
    databaseUrl,
    'webhooks.endpoints',
    `id = '${endpointId}' and deleted_at is null`,
  );
}

/** An operator in this process, pointed at the harness and the test platform. */
export async function startTestOperator(options: {
  kubeconfigPath: string;
  merchantsUrl: string;
  webhooksUrl: string;
  leaseName: string;
  identity: string;
  namespaces?: string[];
  /** More variables (CLEANUP_TIMEOUT_SECONDS, …). */
  env?: Record<string, string>;
  /** What main.ts does when the Lease is lost (it exits); tests record the call. */
  onLostLeadership?: () => void;
  /** Its logger (e.g. into a createLogSink() stream); default: LOG_LEVEL, else silent. */
  logger?: Logger;
}): Promise<RunningOperator> {
  return startOperator(
    loadOperatorConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      PORT: '0',
      HOST: '127.0.0.1',
      KUBECONFIG: options.kubeconfigPath,
      MERCHANTS_URL: options.merchantsUrl,
      WEBHOOKS_URL: options.webhooksUrl,
      ...testIdentityEnv('operator'),
      WATCH_NAMESPACES: (options.namespaces ?? []).join(','),
      LEASE_NAME: options.leaseName,
      LEASE_NAMESPACE: 'default',
      LEASE_DURATION_SECONDS: '3',
      LEASE_RENEW_DEADLINE_SECONDS: '2',
      LEASE_RETRY_PERIOD_SECONDS: '1',
      POD_NAME: options.identity,
      RESYNC_SECONDS: '5',
      ...options.env,
    }),
    {
      ...(options.onLostLeadership ? { onLostLeadership: options.onLostLeadership } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    },
  );
}

/** The merchants internal API as some other Expe component would call it (out of band). */
export function merchantsInternal(baseUrl: string) {
  return createServiceClient({ baseUrl, signer: testSigner('operator'), audience: 'merchants' });
}

/** The value, or a test failure when it is missing. */
export function present<T>(value: T | undefined, what = 'value'): T {
  if (value === undefined) throw new Error(`${what} is missing`);
  return value;
}

const testCard = { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' };

/**
 * A payment of 4,200 made with `secretKey` and paid with the test card, and the
 * payment.succeeded webhook `receiver` got for it.
 */
export async function payAndReceiveWebhook(
  platform: TestPlatform,
  receiver: WebhookReceiver,
  secretKey: string,
) {
  const payment = await platform.api('POST', '/v1/payments', {
    token: secretKey,
    body: { amount: 4200, currency: 'inr' },
  });
  const confirm = await platform.api('POST', `/v1/payments/${payment.body.id}/confirm`, {
    body: { client_secret: payment.body.client_secret, method: 'card', card: testCard },
  });
  await receiver.waitFor((all) => all.some((r) => r.event.type === 'payment.succeeded'));
  const delivery = present(
    receiver.received.find((r) => r.event.type === 'payment.succeeded'),
    'the payment.succeeded delivery',
  );
  return { payment, confirm, delivery };
}
