import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Merchant } from '../src/api/v1alpha1/index.js';
import { createLogger, type Logger } from '@expe/server-kit';
import { startControlPlane, type ControlPlane } from '@expe/kube-harness';
import { countRows, createLogSink } from '@expe/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { objectsOf, prepareCharts, type Charts } from '../../test/charts/support.js';
import { startTestPlatform, type TestPlatform } from '../../test/support/test-platform.js';
import type { RunningOperator } from '../src/index.js';
import {
  condition,
  eventually,
  kubeFor,
  liveEndpoints,
  present,
  secretValue,
  startTestOperator,
  type TestKube,
} from './support.js';

/**
 * The production layout (ADR 0015): the operator in its own namespace, running as its chart's
 * ServiceAccount with exactly the chart's RBAC, the Merchants and WebhookEndpoints in tenant
 * namespaces. Deleting a tenant namespace deletes the operator's Role and RoleBinding there with
 * everything else, before the finalizers are released; a real API server (no namespace
 * controller here) stands in, and the test deletes what the namespace controller would.
 */
const system = 'expe-system';
const tenants = { served: 'tenant-a', stranded: 'tenant-b' };
const release = 'expe-operator';

let plane: ControlPlane;
let platform: TestPlatform;
let charts: Charts;
let admin: TestKube;
let operatorKubeconfig: string;
let workDir: string;
let urls: { merchants: string; webhooks: string };

/** A kubeconfig that authenticates as the chart's ServiceAccount (a TokenRequest token). */
async function serviceAccountKubeconfig(serviceAccount: string): Promise<string> {
  const { stdout: token } = await plane.kubectl([
    '-n',
    system,
    'create',
    'token',
    serviceAccount,
    '--duration=1h',
  ]);
  const path = join(workDir, 'operator.kubeconfig');
  await writeFile(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'harness',
          cluster: {
            server: plane.server,
            'certificate-authority-data': Buffer.from(plane.credentials.caCert).toString('base64'),
          },
        },
      ],
      users: [{ name: 'operator', user: { token: token.trim() } }],
      contexts: [{ name: 'operator', context: { cluster: 'harness', user: 'operator' } }],
      'current-context': 'operator',
    }),
  );
  return path;
}

beforeAll(async () => {
  [plane, platform, charts] = await Promise.all([
    startControlPlane(),
    startTestPlatform(),
    prepareCharts(),
  ]);
  workDir = await mkdtemp(join(tmpdir(), 'expe-production-layout-'));
  await plane.installCrds();
  admin = kubeFor(plane.kubeconfigPath);
  for (const namespace of [system, ...Object.values(tenants)]) {
    await admin.createNamespace(namespace);
  }
  // The chart's RBAC as `helm install` would create it; nothing else of the chart is needed.
  const { stdout: manifest } = await plane.helm([
    'template',
    release,
    join(charts.dir, 'expe-operator'),
    '--namespace',
    system,
    '--set',
    'platform.releaseName=expe',
    '--set',
    'platform.namespace=expe',
    '--set',
    `watchNamespaces={${Object.values(tenants).join(',')}}`,
  ]);
  const rbacKinds = ['ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'];
  const rbac = objectsOf(manifest).filter((object) => rbacKinds.includes(object.kind));
  // Helm puts namespaced objects without a namespace of their own into the release namespace.
  const cluster = ['ClusterRole', 'ClusterRoleBinding'];
  for (const object of rbac) {
    if (!cluster.includes(object.kind)) object.metadata.namespace ??= system;
  }
  await plane.kubectl(['apply', '-f', '-'], {
    input: rbac.map((object) => stringify(object)).join('---\n'),
  });
  operatorKubeconfig = await serviceAccountKubeconfig(release);
  const { merchants, webhooks } = platform.platform.services;
  urls = { merchants: merchants?.url ?? '', webhooks: webhooks?.url ?? '' };
}, 300_000);

afterAll(async () => {
  await platform?.close();
  await plane?.stop();
  await charts?.cleanup();
  if (workDir) await rm(workDir, { recursive: true, force: true });
}, 60_000);

/** An operator as the chart runs it in expe-system: its ServiceAccount, its Lease there. */
function startOperatorAsChart(
  name: string,
  options: { merchantsUrl: string; webhooksUrl: string; logger?: Logger },
) {
  return startTestOperator({
    kubeconfigPath: operatorKubeconfig,
    merchantsUrl: options.merchantsUrl,
    webhooksUrl: options.webhooksUrl,
    leaseName: name,
    identity: name,
    namespaces: Object.values(tenants),
    env: { LEASE_NAMESPACE: system, POD_NAMESPACE: system },
    ...(options.logger ? { logger: options.logger } : {}),
  });
}

function merchantSpec(name: string) {
  return {
    metadata: { name },
    spec: {
      displayName: `${name} shop`,
      email: `${name}@example.com`,
      projects: [
        {
          name: 'storefront',
          apiKeys: [{ name: 'server', mode: 'test', secretName: `${name}-test` }],
        },
      ],
    },
  } satisfies Omit<Merchant, 'apiVersion' | 'kind'>;
}

async function readyMerchant(namespace: string, name: string) {
  const merchant = await eventually(
    () => admin.merchants.get({ namespace, name }),
    (m) =>
      condition(m, 'Ready')?.status === 'True' &&
      m?.status?.observedGeneration === m?.metadata?.generation,
    `${name} Ready`,
  );
  return present(merchant, name);
}

const activeKeys = (databaseUrl: string, merchantId: string) =>
  countRows(
    databaseUrl,
    'merchants.api_keys k join merchants.projects p on p.id = k.project_id',
    `p.merchant_id = '${merchantId}' and k.revoked_at is null`,
  );

/** What the namespace controller does to a namespace being deleted, in the order that hurts. */
async function deleteNamespaceAsTheController(namespace: string, resources: string[]) {
  await admin.kube.core.deleteNamespace({ name: namespace });
  // The operator's only grant that lives in the namespace goes first...
  await plane.kubectl(['-n', namespace, 'delete', `rolebinding/${release}`, `role/${release}`]);
  // ...then the resources that wait on its finalizers are deleted.
  for (const resource of resources) {
    await plane.kubectl(['-n', namespace, 'delete', resource, '--wait=false']);
  }
}

describe('deleting a tenant namespace in the production layout', () => {
  it('when the namespace holding a Merchant and its WebhookEndpoint is deleted and the operator’s Role there goes first, then the keys are revoked, the endpoint is deleted and the finalizers are released', async () => {
    const ns = tenants.served;
    const operator: RunningOperator = await startOperatorAsChart('served', {
      merchantsUrl: urls.merchants,
      webhooksUrl: urls.webhooks,
    });
    try {
      await admin.createMerchant(ns, merchantSpec('tenant'));
      await admin.createEndpoint(ns, {
        metadata: { name: 'tenant-hooks' },
        spec: {
          merchantRef: { name: 'tenant' },
          project: 'storefront',
          mode: 'test',
          url: 'http://127.0.0.1:9/hooks',
          enabledEvents: ['payment.succeeded'],
          signingSecretRef: { name: 'tenant-signing' },
        },
      });
      const merchant = await readyMerchant(ns, 'tenant');
      const merchantId = present(merchant.status?.merchantId, 'merchantId');
      const endpoint = await eventually(
        () => admin.endpoints.get({ namespace: ns, name: 'tenant-hooks' }),
        (e) => condition(e, 'Ready')?.status === 'True',
        'endpoint Ready',
      );
      const endpointId = present(endpoint?.status?.endpointId, 'endpointId');
      const secretKey = secretValue(await admin.secret(ns, 'tenant-test'), 'secretKey');
      const keyWorks = async () =>
        (await platform.api('GET', '/v1/account', { token: secretKey ?? 'missing' })).status;
      expect(await keyWorks()).toBe(200);
      expect(await activeKeys(platform.databaseUrl, merchantId)).toBeGreaterThan(0);

      await deleteNamespaceAsTheController(ns, ['webhookendpoint/tenant-hooks', 'merchant/tenant']);

      await eventually(
        async () => [
          await admin.merchants.get({ namespace: ns, name: 'tenant' }),
          await admin.endpoints.get({ namespace: ns, name: 'tenant-hooks' }),
        ],
        (left) => left.every((object) => object === undefined),
        'the Merchant and the WebhookEndpoint to be released',
        // Well within the 30 s after which a failing cleanup in a terminating namespace gives up:
        // this cleanup must succeed, not be abandoned.
        20_000,
      );
      expect(await keyWorks()).toBe(401);
      expect(await activeKeys(platform.databaseUrl, merchantId)).toBe(0);
      expect(await liveEndpoints(platform.databaseUrl, endpointId)).toBe(0);
    } finally {
      await operator.close();
    }
  }, 120_000);

  it('when the Expe services are gone too (they were in the namespace being deleted), then the finalizer is released after the short window and the log names the merchant whose keys may still be active', async () => {
    const ns = tenants.stranded;
    // A Merchant made while the services answer...
    const serving = await startOperatorAsChart('stranded-before', {
      merchantsUrl: urls.merchants,
      webhooksUrl: urls.webhooks,
    });
    let merchantId: string;
    try {
      await admin.createMerchant(ns, merchantSpec('stranded'));
      merchantId = present((await readyMerchant(ns, 'stranded')).status?.merchantId, 'merchantId');
    } finally {
      await serving.close();
    }
    // ...then an operator that can no longer reach them (nothing listens on port 9).
    const sink = createLogSink();
    const operator = await startOperatorAsChart('stranded-after', {
      merchantsUrl: 'http://127.0.0.1:9',
      webhooksUrl: 'http://127.0.0.1:9',
      logger: createLogger({ name: 'operator', level: 'info' }, sink.stream),
    });
    try {
      const deletedAt = Date.now();
      await deleteNamespaceAsTheController(ns, ['merchant/stranded']);

      await eventually(
        () => admin.merchants.get({ namespace: ns, name: 'stranded' }),
        (m) => m === undefined,
        'the Merchant to be released',
        // The window, then the next retry (backoff, or the 5 s resync of the test operator).
        90_000,
      );
      // Not before the window for a terminating namespace (30 s): the services may come back.
      expect(Date.now() - deletedAt).toBeGreaterThanOrEqual(29_000);
      const abandoned = sink.lines().find((line) => line.includes('merchant cleanup abandoned'));
      expect(abandoned).toContain(merchantId);
      expect(abandoned).toContain('may still be active');
      expect(abandoned).toContain(`Namespace ${ns} is being deleted`);
    } finally {
      await operator.close();
    }
  }, 200_000);
});
