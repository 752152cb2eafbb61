import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  applySampleMerchantAndEndpoint,
  cluster,
  installOperator,
  installPlatform,
  kubectlJson,
  preparedCharts,
  releaseLeftoverFinalizers,
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
  await releaseLeftoverFinalizers(ns);
  await kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFailure: true });
  await charts?.remove();
});

describe('deleting the namespace of the documented install', () => {
  it('when the namespace holding the platform, the operator and the sample resources is deleted, then it is gone within minutes', async () => {
    const { kubectl } = await cluster();
    await installPlatform({ charts, images, namespace: ns, release, args: ['--create-namespace'] });
    await installOperator({
      charts,
      images,
      namespace: ns,
      release: 'teardown-operator',
      platformRelease: release,
    });
    await applySampleMerchantAndEndpoint(ns, { namespace: ns, release });
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
