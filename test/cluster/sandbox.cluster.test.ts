import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  apiClient,
  cluster,
  installOperator,
  installPlatform,
  kubectlJson,
  preparedCharts,
  waitFor,
} from './support.js';

/**
 * The Sandbox resource as a CI job uses it: the platform and the operator installed with helm in
 * a namespace of their own, the documented sample applied with kubectl, `kubectl wait
 * --for=condition=Ready`, the Secret's key through the gateway's Service, then the end of a
 * short-lived one. Its own namespace and releases: the shared release of the other files is not
 * touched, and everything goes at the end.
 */
const images = inject('clusterImages');
const ns = 'expe-sandboxes';
const release = 'sbx';
let charts: Awaited<ReturnType<typeof preparedCharts>>;
let api: ReturnType<typeof apiClient>;

async function secretData(name: string): Promise<Record<string, string>> {
  const secret = await kubectlJson(['-n', ns, 'get', 'secret', name]);
  return Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([key, value]) => [
      key,
      Buffer.from(String(value), 'base64').toString('utf8'),
    ]),
  );
}

async function sampleSandbox(overrides: { name: string; ttl: string }) {
  const sample = parse(await readFile('k8s/samples/sandbox.yaml', 'utf8'));
  return stringify({
    ...sample,
    metadata: { name: overrides.name },
    spec: {
      ...sample.spec,
      ttl: overrides.ttl,
      // A name the cluster resolves (the webhooks Service itself); nothing is delivered.
      webhookEndpoints: [
        {
          name: 'orders',
          url: `http://${release}-webhooks.${ns}.svc.cluster.local:4004/hooks`,
          enabledEvents: ['payment.succeeded'],
        },
      ],
    },
  });
}

beforeAll(async () => {
  charts = await preparedCharts();
  const { kubectl } = await cluster();
  await installPlatform({ charts, images, namespace: ns, release, args: ['--create-namespace'] });
  await installOperator({
    charts,
    images,
    namespace: ns,
    release: `${release}-operator`,
    platformRelease: release,
  });
  const gateway = await kubectlJson(['-n', ns, 'get', 'service', `${release}-gateway`]);
  api = apiClient(`http://${gateway.spec.clusterIP}:${gateway.spec.ports[0].port}`);
  await kubectl(['apply', '-n', ns, '-f', 'k8s/samples/merchant.yaml']);
  await kubectl(['-n', ns, 'wait', '--for=condition=Ready', 'merchant/acme', '--timeout=180s']);
}, 1_500_000);

afterAll(async () => {
  const { helm, kubectl } = await cluster();
  await kubectl(['-n', ns, 'delete', 'sandboxes,merchants', '--all', '--timeout=120s'], {
    allowFailure: true,
  });
  await helm(['uninstall', `${release}-operator`, '--namespace', ns], { allowFailure: true });
  await helm(['uninstall', release, '--namespace', ns], { allowFailure: true });
  await kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFailure: true });
  await charts?.remove();
}, 600_000);

describe('a Sandbox on a one-node cluster', () => {
  it('when the sample Sandbox is applied, then kubectl wait sees it Ready and its Secret’s key calls the gateway in the sandbox’s own project', async () => {
    const { kubectl } = await cluster();

    await kubectl(['apply', '-n', ns, '-f', '-'], {
      input: await sampleSandbox({ name: 'ci-sandbox', ttl: '2h' }),
    });
    await kubectl([
      '-n',
      ns,
      'wait',
      '--for=condition=Ready',
      'sandbox/ci-sandbox',
      '--timeout=180s',
    ]);
    const sandbox = await kubectlJson(['-n', ns, 'get', 'sandbox', 'ci-sandbox']);
    const env = await secretData('ci-sandbox');
    const account = await api('GET', '/account', { token: env.EXPE_API_KEY });
    const merchant = await kubectlJson(['-n', ns, 'get', 'merchant', 'acme']);
    const listed = await kubectl(['-n', ns, 'get', 'sandboxes']);

    expect(account.status).toBe(200);
    expect(account.body).toMatchObject({
      project_id: sandbox.status.projectId,
      merchant_id: merchant.status.merchantId,
      mode: 'test',
    });
    expect(merchant.status.projects.map((p: { id: string }) => p.id)).not.toContain(
      sandbox.status.projectId,
    );
    expect(env.EXPE_SANDBOX_EXPIRES_AT).toBe(sandbox.status.expiresAt);
    expect(env.EXPE_WEBHOOK_SECRET_ORDERS).toMatch(/^whsec_/);
    expect(sandbox.status.webhookEndpoints).toEqual([
      { name: 'orders', endpointId: expect.stringMatching(/^we_/) },
    ]);
    expect(listed.stdout).toMatch(/ci-sandbox\s+acme\s+True\s+Reconciled\s+\d{4}-/);

    await kubectl(['delete', '-n', ns, 'sandbox', 'ci-sandbox', '--timeout=120s']);
    const refused = await api('GET', '/account', { token: env.EXPE_API_KEY });
    expect(refused.status).toBe(401);
    const left = await kubectl(['-n', ns, 'get', 'secret', 'ci-sandbox'], { allowFailure: true });
    expect(left.exitCode).not.toBe(0);
  });

  it('when a Sandbox’s ttl passes, then kubectl wait sees reason Expired, its key is refused and its Secret is gone, and the Sandbox stays', async () => {
    const { kubectl } = await cluster();
    await kubectl(['apply', '-n', ns, '-f', '-'], {
      input: await sampleSandbox({ name: 'brief', ttl: '1m' }),
    });
    await kubectl(['-n', ns, 'wait', '--for=condition=Ready', 'sandbox/brief', '--timeout=50s']);
    const { EXPE_API_KEY: key } = await secretData('brief');
    expect((await api('GET', '/account', { token: key })).status).toBe(200);

    await kubectl([
      '-n',
      ns,
      'wait',
      'sandbox/brief',
      '--timeout=120s',
      '--for=jsonpath={.status.conditions[?(@.type=="Ready")].reason}=Expired',
    ]);
    const sandbox = await kubectlJson(['-n', ns, 'get', 'sandbox', 'brief']);
    const expiredAt = Date.parse(sandbox.status.expiresAt);

    expect(Date.now()).toBeGreaterThanOrEqual(expiredAt);
    const ready = sandbox.status.conditions.find((c: { type: string }) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'Expired' });
    expect(Date.parse(ready.lastTransitionTime) - expiredAt).toBeLessThan(10_000);
    const refused = await waitFor('the key to be refused', async () => {
      const response = await api('GET', '/account', { token: key });
      return response.status === 401 ? response : undefined;
    });
    expect(refused.body.error.code).toMatch(/expired_api_key|api_key_revoked|invalid_api_key/);
    const left = await kubectl(['-n', ns, 'get', 'secret', 'brief'], { allowFailure: true });
    expect(left.exitCode).not.toBe(0);
  });
});
