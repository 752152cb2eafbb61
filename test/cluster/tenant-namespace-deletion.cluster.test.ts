import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import {
  applySampleMerchantAndEndpoint,
  cluster,
  installOperator,
  installPlatform,
  kubectlJson,
  preparedCharts,
  psqlIn,
  releaseLeftoverFinalizers,
  waitFor,
} from './support.js';

/**
 * The production layout (docs/kubernetes.md, ADR 0015) on the one-node cluster: the operator in
 * its own namespace, the platform in another, the Merchants and WebhookEndpoints in a tenant
 * namespace. `kubectl delete namespace <tenant>` deletes the operator's Role there with
 * everything else; the operator's rights on its own kinds are cluster-wide, and the services are
 * untouched, so every key is revoked and every endpoint deleted in the database before the
 * finalizers go, and the namespace is gone within a bound.
 */
const images = inject('clusterImages');
const system = 'layout-system';
const platformNs = 'layout-platform';
const tenant = 'layout-tenant';
const release = 'layout';
const operatorRelease = 'expe-operator';
const deletionBoundMs = 120_000;
let charts: Awaited<ReturnType<typeof preparedCharts>>;

const psql = psqlIn(platformNs, release);

beforeAll(async () => {
  charts = await preparedCharts();
});

afterAll(async () => {
  const { helm, kubectl } = await cluster();
  // A failed run must not leave a stuck namespace (or cluster-wide RBAC) for the next one.
  await releaseLeftoverFinalizers(tenant);
  await helm(['uninstall', operatorRelease, '--namespace', system, '--wait'], {
    allowFailure: true,
  });
  for (const ns of [tenant, system, platformNs]) {
    await kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFailure: true });
  }
  await charts?.remove();
});

describe('deleting a tenant namespace of the production layout', () => {
  it('when the namespace holding a Merchant and a WebhookEndpoint is deleted, with the operator and the platform in namespaces of their own, then it is gone within two minutes and the keys and the endpoint are revoked in the database', async () => {
    const { kubectl } = await cluster();
    for (const ns of [system, platformNs, tenant]) await kubectl(['create', 'namespace', ns]);

    // The platform admits the operator from its own namespace (as values-production.yaml does).
    const operatorPeer = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': system } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'expe-operator' } },
    };
    const layoutValues = join(charts.dir, 'layout-values.yaml');
    await writeFile(
      layoutValues,
      stringify({
        merchants: { networkPolicy: { extraFrom: [operatorPeer] } },
        webhooks: { networkPolicy: { extraFrom: [operatorPeer] } },
      }),
    );
    await installPlatform({
      charts,
      images,
      namespace: platformNs,
      release,
      args: ['--values', layoutValues],
    });
    // The operator's identity key, where its Pods can read it.
    const identity = await kubectlJson([
      '-n',
      platformNs,
      'get',
      'secret',
      `${release}-operator-identity`,
    ]);
    await kubectl(['apply', '-n', system, '-f', '-'], {
      input: stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `${release}-operator-identity` },
        type: identity.type,
        data: identity.data,
      }),
    });
    await installOperator({
      charts,
      images,
      namespace: system,
      release: operatorRelease,
      platformRelease: release,
      args: ['--set', `platform.namespace=${platformNs}`, '--set', `watchNamespaces={${tenant}}`],
    });

    await applySampleMerchantAndEndpoint(tenant, { namespace: platformNs, release });
    const merchant = await kubectlJson(['-n', tenant, 'get', 'merchant/acme']);
    const endpoint = await kubectlJson(['-n', tenant, 'get', 'webhookendpoint/acme-orders']);
    const merchantId: string = merchant.status.merchantId;
    const endpointId: string = endpoint.status.endpointId;
    expect(merchant.metadata.finalizers).toContain('expe.dev/merchant-cleanup');
    expect(endpoint.metadata.finalizers).toContain('expe.dev/webhook-endpoint-cleanup');
    const activeKeys = () =>
      psql(
        `select count(*) from merchants.api_keys k join merchants.projects p on p.id = k.project_id where p.merchant_id = '${merchantId}' and k.revoked_at is null`,
      );
    // The sample's two keys and the operator's own key for the endpoint.
    expect(Number(await activeKeys())).toBeGreaterThanOrEqual(2);

    const started = Date.now();
    await kubectl(['delete', 'namespace', tenant, '--wait=false']);
    await waitFor(
      `namespace ${tenant} to be gone`,
      async () =>
        (await kubectl(['get', 'namespace', tenant], { allowFailure: true })).exitCode !== 0,
      deletionBoundMs,
      1_000,
    );
    const seconds = Math.round((Date.now() - started) / 1000);
    process.stderr.write(`[cluster] tenant namespace ${tenant} deleted in ${seconds} s\n`);

    expect(await activeKeys()).toBe('0');
    expect(
      await psql(
        `select deactivated_at is not null from merchants.merchants where id = '${merchantId}'`,
      ),
    ).toBe('t');
    expect(
      await psql(
        `select count(*) from webhooks.endpoints where id = '${endpointId}' and deleted_at is null`,
      ),
    ).toBe('0');
    // Cleaned up, not abandoned: the operator logged no CleanupAbandoned for them.
    const { stdout: logs } = await kubectl([
      '-n',
      system,
      'logs',
      `deployment/${operatorRelease}`,
      '--tail=-1',
    ]);
    expect(logs).not.toContain('cleanup abandoned');
  }, 1_500_000);
});
