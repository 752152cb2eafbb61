import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import {
  cluster,
  kubectlJson,
  operatorValuesFile,
  preparedCharts,
  valuesFile,
  waitFor,
} from './support.js';

/**
 * The documented install (the platform and the operator in one namespace) with the sample
 * resources, then `kubectl delete namespace`: it must complete. Kubernetes deletes the Pods
 * first, so the operator is stopped while the Merchant and the WebhookEndpoint still carry its
 * finalizers; it releases them on its way out. Its own namespace: the shared release of the
 * other files is not touched.
 */
const images = inject('clusterImages');
const ns = 'expe-teardown';
const release = 'teardown';
let charts: Awaited<ReturnType<typeof preparedCharts>>;

const finalizersOf = async (resource: string): Promise<string[]> =>
  (await kubectlJson(['-n', ns, 'get', resource])).metadata.finalizers ?? [];

beforeAll(async () => {
  charts = await preparedCharts();
});

afterAll(async () => {
  const { kubectl } = await cluster();
  // A failed run must not leave a stuck namespace for the next one.
  const left = await kubectl(['get', 'namespace', ns], { allowFailure: true });
  if (left.exitCode === 0) {
    for (const kind of ['merchants', 'webhookendpoints']) {
      const { stdout } = await kubectl(['-n', ns, 'get', kind, '-o', 'name'], {
        allowFailure: true,
      });
      for (const name of stdout.split('\n').filter(Boolean)) {
        await kubectl(
          ['-n', ns, 'patch', name, '--type', 'merge', '-p', '{"metadata":{"finalizers":null}}'],
          {
            allowFailure: true,
          },
        );
      }
    }
    await kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFailure: true });
  }
  await charts?.remove();
});

describe('deleting the namespace of the documented install', () => {
  it('when the namespace holding the platform, the operator and the sample resources is deleted, then it is gone within minutes', async () => {
    const { helm, kubectl } = await cluster();
    const common = ['--namespace', ns, '--set', `global.image.tag=${images.appTag}`];
    await helm([
      'install',
      release,
      `${charts.dir}/expe`,
      '--create-namespace',
      ...common,
      '--values',
      valuesFile,
      '--set',
      `postgresql.image=${images.postgresImage}`,
      '--set',
      `redis.image=${images.redisImage}`,
      '--set',
      'gateway.replicaCount=1',
      '--set',
      'payments.replicaCount=1',
      '--wait',
      '--timeout',
      '15m',
    ]);
    await helm([
      'install',
      'teardown-operator',
      `${charts.dir}/expe-operator`,
      ...common,
      '--values',
      operatorValuesFile,
      '--set',
      `platform.releaseName=${release}`,
      '--wait',
      '--timeout',
      '10m',
    ]);
    await kubectl(['apply', '-n', ns, '-f', 'k8s/samples/merchant.yaml']);
    await kubectl(['apply', '-n', ns, '-f', '-'], {
      input: stringify({
        apiVersion: 'expe.dev/v1alpha1',
        kind: 'WebhookEndpoint',
        metadata: { name: 'acme-orders' },
        spec: {
          merchantRef: { name: 'acme' },
          project: 'storefront',
          mode: 'test',
          // A name the cluster resolves (the webhooks Service itself); nothing is delivered.
          url: `http://${release}-webhooks.${ns}.svc.cluster.local:4004/hooks`,
          enabledEvents: ['payment.succeeded'],
          signingSecretRef: { name: 'acme-orders-webhook' },
        },
      }),
    });
    await kubectl([
      '-n',
      ns,
      'wait',
      '--for=condition=Ready',
      'webhookendpoint/acme-orders',
      'merchant/acme',
      '--timeout=180s',
    ]);
    expect(await finalizersOf('merchant/acme')).toContain('expe.dev/merchant-cleanup');
    expect(await finalizersOf('webhookendpoint/acme-orders')).toContain(
      'expe.dev/webhook-endpoint-cleanup',
    );

    const started = Date.now();
    await kubectl(['delete', 'namespace', ns, '--wait=false']);
    await waitFor(
      `namespace ${ns} to be gone`,
      async () => (await kubectl(['get', 'namespace', ns], { allowFailure: true })).exitCode !== 0,
      300_000,
      2_000,
    );

    // Measured for the docs: Pods first (their grace), then the rest.
    process.stderr.write(
      `[cluster] namespace ${ns} deleted in ${Math.round((Date.now() - started) / 1000)} s\n`,
    );
  }, 1_500_000);
});
