import type { Merchant, Sandbox } from '../src/api/v1alpha1/index.js';
import { startControlPlane, type ControlPlane } from '@expe/kube-harness';
import { verifyWebhookSignature } from '@expe/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../test/support/test-platform.js';
import { startWebhookReceiver } from '../../test/support/webhook-receiver.js';
import type { RunningOperator } from '../src/index.js';
import {
  condition,
  eventually,
  expectWaitingOnMerchant,
  kubeFor,
  payAndReceiveWebhook,
  present,
  secretValue,
  startTestOperator,
  type TestKube,
} from './support.js';

// The Sandbox resource against a real API server (CEL validation included), the whole platform
// and an operator in this process.
const ns = { main: 'ci', waiting: 'ci-waiting', expiry: 'ci-expiry', invalid: 'ci-invalid' };

let plane: ControlPlane;
let platform: TestPlatform;
let k: TestKube;
let operator: RunningOperator;

beforeAll(async () => {
  [plane, platform] = await Promise.all([startControlPlane(), startTestPlatform()]);
  await plane.installCrds();
  k = kubeFor(plane.kubeconfigPath);
  for (const namespace of Object.values(ns)) await k.createNamespace(namespace);
  const { merchants, webhooks } = platform.platform.services;
  operator = await startTestOperator({
    kubeconfigPath: plane.kubeconfigPath,
    merchantsUrl: merchants?.url ?? '',
    webhooksUrl: webhooks?.url ?? '',
    leaseName: 'sandboxes',
    identity: 'sandbox-operator',
    namespaces: Object.values(ns),
    env: { GATEWAY_URL: platform.url },
  });
}, 180_000);

afterAll(async () => {
  await operator?.close();
  await platform?.close();
  await plane?.stop();
}, 60_000);

async function createMerchant(namespace: string, name: string, secretName = `${name}-key`) {
  await k.createMerchant(namespace, {
    metadata: { name },
    spec: {
      displayName: `${name} shop`,
      email: `${name}@example.com`,
      projects: [{ name: 'storefront', apiKeys: [{ name: 'server', mode: 'test', secretName }] }],
    },
  } satisfies Omit<Merchant, 'apiVersion' | 'kind'>);
}

const sandboxGet = (namespace: string, name: string) => () => k.sandboxes.get({ namespace, name });
const isReadyAndCurrent = (sandbox: Sandbox | undefined) =>
  condition(sandbox, 'Ready')?.status === 'True' &&
  sandbox?.status?.observedGeneration === sandbox?.metadata?.generation;

const account = (secretKey: string | undefined) =>
  platform.api('GET', '/v1/account', { token: secretKey ?? 'missing' });

async function eventReasons(namespace: string, name: string) {
  return (await k.events(namespace))
    .filter(
      (event) => event.involvedObject.kind === 'Sandbox' && event.involvedObject.name === name,
    )
    .map((event) => event.reason);
}

describe('Sandbox', () => {
  it('when a Sandbox is applied, then it is Ready with a project of its own, its Secret holds a test key of that project, and its end is creation plus ttl', async () => {
    await createMerchant(ns.main, 'acme');
    await k.createSandbox(ns.main, {
      metadata: { name: 'run-1' },
      spec: { merchantRef: { name: 'acme' }, ttl: '2h' },
    });

    const sandbox = present(
      await eventually(sandboxGet(ns.main, 'run-1'), isReadyAndCurrent, 'run-1 Ready'),
    );
    const secret = await k.secret(ns.main, 'run-1');
    const response = await account(secretValue(secret, 'EXPE_API_KEY'));
    const merchantKey = secretValue(await k.secret(ns.main, 'acme-key'), 'secretKey');
    const merchantAccount = await account(merchantKey);

    const created = Date.parse(String(sandbox.metadata?.creationTimestamp));
    expect(Date.parse(sandbox.status?.expiresAt ?? '')).toBe(created + 2 * 3_600_000);
    expect(sandbox.status?.projectId).toMatch(/^prj_/);
    expect(sandbox.status?.secretName).toBe('run-1');
    expect(sandbox.metadata?.finalizers).toContain('expe.dev/sandbox-cleanup');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      project_id: sandbox.status?.projectId,
      merchant_id: sandbox.status?.merchantId,
      mode: 'test',
    });
    // Its own project: not the Merchant's storefront.
    expect(merchantAccount.body.merchant_id).toBe(sandbox.status?.merchantId);
    expect(merchantAccount.body.project_id).not.toBe(sandbox.status?.projectId);
    expect(secretValue(secret, 'EXPE_PUBLISHABLE_KEY')).toMatch(/^pk_test_/);
    expect(secretValue(secret, 'EXPE_SANDBOX_PROJECT_ID')).toBe(sandbox.status?.projectId);
    expect(secretValue(secret, 'EXPE_SANDBOX_EXPIRES_AT')).toBe(sandbox.status?.expiresAt);
    expect(secret?.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'Sandbox',
      name: 'run-1',
      controller: true,
    });
    expect(condition(sandbox, 'Degraded')?.status).toBe('False');
    expect(condition(sandbox, 'Progressing')?.status).toBe('False');
    expect(await eventReasons(ns.main, 'run-1')).toEqual(
      expect.arrayContaining(['SandboxCreated', 'KeyIssued']),
    );
  });

  it('when a Sandbox has a webhook endpoint, then a payment with its key is delivered signed with the Secret’s EXPE_WEBHOOK_SECRET_<NAME>, and removing it from the spec removes the endpoint and the variable', async () => {
    const receiver = await startWebhookReceiver();
    try {
      await k.createSandbox(ns.main, {
        metadata: { name: 'run-hooks' },
        spec: {
          merchantRef: { name: 'acme' },
          ttl: '1h',
          secretName: 'run-hooks-env',
          webhookEndpoints: [
            { name: 'order-events', url: receiver.url, enabledEvents: ['payment.succeeded'] },
          ],
        },
      });
      const sandbox = present(
        await eventually(sandboxGet(ns.main, 'run-hooks'), isReadyAndCurrent, 'run-hooks Ready'),
      );
      const secret = await k.secret(ns.main, 'run-hooks-env');
      const secretKey = secretValue(secret, 'EXPE_API_KEY') ?? '';

      const { payment, delivery } = await payAndReceiveWebhook(platform, receiver, secretKey);

      expect(sandbox.status?.webhookEndpoints).toEqual([
        { name: 'order-events', endpointId: expect.stringMatching(/^we_/) },
      ]);
      expect(delivery.event.data.object).toMatchObject({ id: payment.body.id });
      expect(
        verifyWebhookSignature(
          delivery.rawBody,
          String(delivery.headers['expe-signature'] ?? ''),
          secretValue(secret, 'EXPE_WEBHOOK_SECRET_ORDER_EVENTS') ?? '',
        ),
      ).toMatchObject({ type: 'payment.succeeded' });

      await k.updateSandbox(ns.main, 'run-hooks', (s) => ({
        ...s,
        spec: { ...s.spec, webhookEndpoints: [] },
      }));
      await eventually(
        sandboxGet(ns.main, 'run-hooks'),
        (s) => isReadyAndCurrent(s) && s?.status?.webhookEndpoints?.length === 0,
        'the endpoint gone from the status',
      );
      const listed = await platform.api('GET', '/v1/webhook_endpoints', { token: secretKey });
      const after = await k.secret(ns.main, 'run-hooks-env');
      expect(listed.body.data).toEqual([]);
      expect(secretValue(after, 'EXPE_WEBHOOK_SECRET_ORDER_EVENTS')).toBeUndefined();
      expect(secretValue(after, 'EXPE_API_KEY')).toBe(secretKey);
    } finally {
      await receiver.close();
    }
  });

  it('when its Secret is deleted, then a new key is issued into a new Secret and the old key stops working', async () => {
    const before = await k.secret(ns.main, 'run-1');
    const oldKey = secretValue(before, 'EXPE_API_KEY');

    await k.deleteSecret(ns.main, 'run-1');
    const after = await eventually(
      () => k.secret(ns.main, 'run-1'),
      (s) => s !== undefined && secretValue(s, 'EXPE_API_KEY') !== oldKey,
      'a new Secret',
    );

    expect((await account(secretValue(after, 'EXPE_API_KEY'))).status).toBe(200);
    expect((await account(oldKey)).status).toBe(401);
    expect(await eventReasons(ns.main, 'run-1')).toContain('KeyReissued');
  });

  it('when a Sandbox is deleted, then its key stops working, its Secret is deleted and the finalizer lets it go', async () => {
    const secret = await k.secret(ns.main, 'run-1');
    const key = secretValue(secret, 'EXPE_API_KEY');
    expect((await account(key)).status).toBe(200);

    await k.deleteSandbox(ns.main, 'run-1');
    await eventually(sandboxGet(ns.main, 'run-1'), (s) => s === undefined, 'run-1 gone');

    expect((await account(key)).status).toBe(401);
    expect(await k.secret(ns.main, 'run-1')).toBeUndefined();
  });

  it('when its Merchant is missing, then it is Degraded with MerchantNotFound; when the Merchant exists but is not Ready, then Progressing with MerchantNotReady; once it is Ready, the Sandbox is', async () => {
    await k.createSandbox(ns.waiting, {
      metadata: { name: 'early' },
      spec: { merchantRef: { name: 'late' }, ttl: '1h' },
    });
    const missing = await eventually(
      sandboxGet(ns.waiting, 'early'),
      (s) => condition(s, 'Degraded')?.status === 'True',
      'Degraded',
    );
    expect(condition(missing, 'Degraded')?.reason).toBe('MerchantNotFound');

    // A Merchant stuck on a Secret it does not own is not Ready.
    await k.kube.core.createNamespacedSecret({
      namespace: ns.waiting,
      body: { metadata: { name: 'taken' }, stringData: { owner: 'someone else' } },
    });
    await createMerchant(ns.waiting, 'late', 'taken');
    await expectWaitingOnMerchant(sandboxGet(ns.waiting, 'early'), 'waiting on its Merchant');

    await k.kube.core.deleteNamespacedSecret({ namespace: ns.waiting, name: 'taken' });
    const ready = await eventually(sandboxGet(ns.waiting, 'early'), isReadyAndCurrent, 'Ready');
    expect(ready?.status?.projectId).toMatch(/^prj_/);
  });
});

describe('Sandbox fixtures', () => {
  const scenario = {
    version: 1,
    name: 'ci-data',
    steps: [
      { id: 'buyer', customer: { email: 'buyer@example.com', name: 'Buyer' } },
      {
        id: 'order',
        payment: { amount: 25_000, customer: '${buyer.id}', state: 'succeeded' },
        expect: { status: 'succeeded' },
      },
    ],
  };

  it('when a Sandbox has fixtures, then it is Ready only with the scenario applied in its project, and later passes apply nothing again', async () => {
    await k.createSandbox(ns.main, {
      metadata: { name: 'seeded' },
      spec: { merchantRef: { name: 'acme' }, ttl: '1h', fixtures: scenario },
    });

    const sandbox = present(
      await eventually(sandboxGet(ns.main, 'seeded'), isReadyAndCurrent, 'seeded Ready', 60_000),
    );
    const key = secretValue(await k.secret(ns.main, 'seeded'), 'EXPE_API_KEY');
    const customers = await platform.api('GET', '/v1/customers', { token: key });
    const payments = await platform.api('GET', '/v1/payments', { token: key });

    expect(sandbox.status?.fixtures).toMatchObject({ scenario: 'ci-data', steps: 2, created: 2 });
    expect(customers.body.data.map((c: { email: string }) => c.email)).toEqual([
      'buyer@example.com',
    ]);
    expect(payments.body.data).toEqual([
      expect.objectContaining({ amount: 25_000, status: 'succeeded' }),
    ]);
    expect(await eventReasons(ns.main, 'seeded')).toContain('FixturesApplied');

    // A label edit and the resyncs run the Sandbox again: nothing is applied twice.
    await k.updateSandbox(ns.main, 'seeded', (s) => ({
      ...s,
      metadata: { ...s.metadata, labels: { again: 'yes' } },
    }));
    await eventually(
      sandboxGet(ns.main, 'seeded'),
      (s) => s?.metadata?.labels?.again === 'yes' && isReadyAndCurrent(s),
      'the labelled Sandbox',
    );
    const again = await platform.api('GET', '/v1/customers', { token: key });
    const later = await k.sandboxes.get({ namespace: ns.main, name: 'seeded' });
    expect(again.body.data).toHaveLength(1);
    expect(later?.status?.fixtures?.appliedAt).toBe(sandbox.status?.fixtures?.appliedAt);
  });

  it('when the fixtures are not a valid scenario, then the Sandbox is Degraded with FixturesInvalid naming the step and field', async () => {
    await k.createSandbox(ns.main, {
      metadata: { name: 'bad-seed' },
      spec: {
        merchantRef: { name: 'acme' },
        ttl: '1h',
        fixtures: { version: 1, name: 'broken', steps: [{ id: 'p', payment: { amount: 'lots' } }] },
      },
    });

    const sandbox = await eventually(
      sandboxGet(ns.main, 'bad-seed'),
      (s) => condition(s, 'Degraded')?.status === 'True',
      'Degraded',
    );

    expect(condition(sandbox, 'Degraded')?.reason).toBe('FixturesInvalid');
    expect(sandbox?.status?.conditions?.find((c) => c.type === 'Degraded')?.message).toMatch(
      /step "p".*amount/s,
    );
    expect(condition(sandbox, 'Ready')?.status).toBe('False');
  });
});

describe('Sandbox validation', () => {
  async function rejection(spec: Record<string, unknown>, name = 'bad') {
    try {
      await k.createSandbox(ns.invalid, {
        metadata: { name },
        spec: spec as unknown as Sandbox['spec'],
      });
      return 'accepted';
    } catch (error) {
      return String((error as { body?: unknown }).body ?? error);
    }
  }

  it('when the ttl is not hours/minutes/seconds or outside 1m–720h, then the API server refuses it saying so', async () => {
    const ref = { merchantRef: { name: 'acme' } };

    expect(await rejection({ ...ref, ttl: '2d' })).toContain('spec.ttl');
    expect(await rejection({ ...ref, ttl: '30s' })).toContain('ttl must be from 1m to 720h');
    expect(await rejection({ ...ref, ttl: '721h' })).toContain('ttl must be from 1m to 720h');
    expect(await rejection({ ttl: '1h' })).toContain('merchantRef');
    expect(
      await rejection({
        ...ref,
        ttl: '1h',
        webhookEndpoints: [{ name: 'a', url: 'ftp://x', enabledEvents: ['*'] }],
      }),
    ).toContain('url must be an http:// or https:// URL');
  });

  it('when merchantRef, ttl or secretName is changed, then the API server refuses the change', async () => {
    await k.createSandbox(ns.invalid, {
      metadata: { name: 'fixed' },
      spec: { merchantRef: { name: 'acme' }, ttl: '1h' },
    });
    const change = async (spec: Partial<Sandbox['spec']>) => {
      try {
        await k.updateSandbox(ns.invalid, 'fixed', (s) => ({ ...s, spec: { ...s.spec, ...spec } }));
        return 'accepted';
      } catch (error) {
        return String((error as { body?: unknown }).body ?? error);
      }
    };

    expect(await change({ ttl: '2h' })).toContain('ttl is immutable');
    expect(await change({ merchantRef: { name: 'other' } })).toContain('merchantRef is immutable');
    expect(await change({ secretName: 'elsewhere' })).toContain('secretName is immutable');
  });
});

describe('Sandbox expiry', () => {
  it('when its ttl has passed, then its key stops working, its endpoints and Secret are gone, and the Sandbox stays with Ready=False reason Expired', async () => {
    const receiver = await startWebhookReceiver();
    try {
      await createMerchant(ns.expiry, 'brief');
      await k.createSandbox(ns.expiry, {
        metadata: { name: 'short' },
        spec: {
          merchantRef: { name: 'brief' },
          ttl: '1m',
          webhookEndpoints: [{ name: 'hooks', url: receiver.url, enabledEvents: ['*'] }],
        },
      });
      const ready = present(
        await eventually(sandboxGet(ns.expiry, 'short'), isReadyAndCurrent, 'short Ready', 60_000),
      );
      const key = secretValue(await k.secret(ns.expiry, 'short'), 'EXPE_API_KEY');
      expect((await account(key)).status).toBe(200);

      const expired = present(
        await eventually(
          sandboxGet(ns.expiry, 'short'),
          (s) => condition(s, 'Ready')?.reason === 'Expired',
          'Expired',
          90_000,
        ),
      );
      const endedAt = Date.now();

      expect(endedAt).toBeGreaterThanOrEqual(Date.parse(ready.status?.expiresAt ?? ''));
      expect(endedAt - Date.parse(ready.status?.expiresAt ?? '')).toBeLessThan(15_000);
      expect(condition(expired, 'Ready')?.status).toBe('False');
      expect(condition(expired, 'Progressing')?.status).toBe('False');
      expect(condition(expired, 'Degraded')?.status).toBe('False');
      expect(expired.status?.webhookEndpoints).toEqual([]);
      const refused = await account(key);
      expect(refused.status).toBe(401);
      expect(await k.secret(ns.expiry, 'short')).toBeUndefined();
      expect(await eventReasons(ns.expiry, 'short')).toContain('Expired');

      // It stays Expired: the next passes create nothing again.
      const merchantKey = secretValue(await k.secret(ns.expiry, 'brief-key'), 'secretKey');
      await k.updateSandbox(ns.expiry, 'short', (s) => ({
        ...s,
        metadata: { ...s.metadata, labels: { touched: 'yes' } },
      }));
      await eventually(
        sandboxGet(ns.expiry, 'short'),
        (s) => s?.metadata?.labels?.touched === 'yes',
        'the label',
      );
      expect(await k.secret(ns.expiry, 'short')).toBeUndefined();
      expect((await account(merchantKey)).status).toBe(200);

      await k.deleteSandbox(ns.expiry, 'short');
      await eventually(sandboxGet(ns.expiry, 'short'), (s) => s === undefined, 'deleted');
    } finally {
      await receiver.close();
    }
  }, 180_000);
});
