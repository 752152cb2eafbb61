import type { Merchant, WebhookEndpoint } from '../src/api/v1alpha1/index.js';
import { startControlPlane, type ControlPlane } from '@expe/kube-harness';
import { V1MicroTime } from '@kubernetes/client-node';
import { verifyWebhookSignature } from '@expe/sdk';
import { countRows } from '@expe/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../test/support/test-platform.js';
import { startWebhookReceiver } from '../../test/support/webhook-receiver.js';
import type { RunningOperator } from '../src/index.js';
import {
  condition,
  eventually,
  expectWaitingOnMerchant,
  kubeFor,
  liveEndpoints,
  payAndReceiveWebhook,
  merchantsInternal,
  present,
  secretValue,
  startTestOperator,
  untilGone,
  untilReady,
  type TestKube,
} from './support.js';

const namespaces = {
  main: 'shop',
  edit: 'edit',
  drift: 'drift',
  hooks: 'hooks',
  gone: 'gone',
  conflict: 'conflict',
  rotate: 'rotate',
  removed: 'removed-keys',
  merchantFirst: 'merchant-first',
};

let plane: ControlPlane;
let platform: TestPlatform;
let k: TestKube;
let operator: RunningOperator;
let urls: { merchants: string; webhooks: string };

/** How many keys of the merchant the merchants service holds, not revoked. */
const activeKeys = (merchantId: string | undefined) =>
  countRows(
    platform.databaseUrl,
    'merchants.api_keys',
    `merchant_id = '${merchantId}' and revoked_at is null`,
  );

/** An operator on this file's control plane and platform (unless `options` points it elsewhere). */
const startOperator = (
  options: Omit<
    Parameters<typeof startTestOperator>[0],
    'kubeconfigPath' | 'merchantsUrl' | 'webhooksUrl'
  > &
    Partial<Parameters<typeof startTestOperator>[0]>,
) =>
  startTestOperator({
    kubeconfigPath: plane.kubeconfigPath,
    merchantsUrl: urls.merchants,
    webhooksUrl: urls.webhooks,
    ...options,
  });

beforeAll(async () => {
  [plane, platform] = await Promise.all([startControlPlane(), startTestPlatform()]);
  await plane.installCrds();
  k = kubeFor(plane.kubeconfigPath);
  for (const namespace of [
    ...Object.values(namespaces),
    'lease',
    'restart',
    'crashed',
    'abandon',
    'restore',
    'force',
    'owned-nothing',
    'restore-hooks',
    'teardown',
  ]) {
    await k.createNamespace(namespace);
  }
  const { merchants, webhooks } = platform.platform.services;
  urls = { merchants: merchants?.url ?? '', webhooks: webhooks?.url ?? '' };
  operator = await startOperator({
    leaseName: 'main',
    identity: 'main-operator',
    namespaces: Object.values(namespaces),
  });
}, 180_000);

afterAll(async () => {
  await operator?.close();
  await platform?.close();
  await plane?.stop();
}, 60_000);

function merchantSpec(
  name: string,
  keys: { name: string; mode: 'test' | 'live'; secretName: string }[],
) {
  return {
    metadata: { name },
    spec: {
      displayName: `${name} shop`,
      email: `${name}@example.com`,
      projects: [{ name: 'storefront', apiKeys: keys }],
    },
  } satisfies Omit<Merchant, 'apiVersion' | 'kind'>;
}

/** A test-mode WebhookEndpoint `name` on the storefront project of the Merchant `merchant`. */
function webhookEndpoint(
  name: string,
  spec: { merchant: string; url: string; enabledEvents: string[]; signingSecret: string },
) {
  return {
    metadata: { name },
    spec: {
      merchantRef: { name: spec.merchant },
      project: 'storefront',
      mode: 'test',
      url: spec.url,
      enabledEvents: spec.enabledEvents,
      signingSecretRef: { name: spec.signingSecret },
    },
  } satisfies Omit<WebhookEndpoint, 'apiVersion' | 'kind'>;
}

const isReadyAndCurrent = (merchant: Merchant | undefined) =>
  condition(merchant, 'Ready')?.status === 'True' &&
  merchant?.status?.observedGeneration === merchant?.metadata?.generation;

async function readyMerchant(namespace: string, name: string) {
  const merchant = await eventually(
    () => k.merchants.get({ namespace, name }),
    isReadyAndCurrent,
    `${name} Ready`,
  );
  return present(merchant, name);
}

async function account(secretKey: string | undefined) {
  return platform.api('GET', '/v1/account', { token: secretKey ?? 'missing' });
}

describe('Merchant', () => {
  it('when a Merchant is applied, then it becomes Ready and its Secret holds a key that works through the gateway', async () => {
    await k.createMerchant(
      namespaces.main,
      merchantSpec('acme', [{ name: 'server', mode: 'test', secretName: 'acme-test' }]),
    );

    const merchant = await readyMerchant(namespaces.main, 'acme');
    const secret = await eventually(
      () => k.secret(namespaces.main, 'acme-test'),
      (s) => s !== undefined,
      'the Secret',
    );
    const response = await account(secretValue(secret, 'secretKey'));

    expect(merchant.metadata?.finalizers).toContain('expe.dev/merchant-cleanup');
    expect(merchant.status?.merchantId).toMatch(/^mer_/);
    const project = merchant.status?.projects?.[0];
    expect(project).toMatchObject({
      name: 'storefront',
      apiKeys: [{ name: 'server', mode: 'test' }],
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      merchant_id: merchant.status?.merchantId,
      project_id: project?.id,
      mode: 'test',
      key_id: project?.apiKeys?.[0]?.id,
    });
    expect(secretValue(secret, 'publishableKey')).toMatch(/^pk_test_/);
    expect(secret?.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'Merchant',
      name: 'acme',
    });
    expect(condition(merchant, 'Degraded')?.status).toBe('False');
  });

  it('when a key is added to the spec, then it is issued into its own Secret and the first is left alone', async () => {
    await k.createMerchant(
      namespaces.edit,
      merchantSpec('edited', [{ name: 'server', mode: 'test', secretName: 'edited-test' }]),
    );
    await readyMerchant(namespaces.edit, 'edited');
    const first = await k.secret(namespaces.edit, 'edited-test');

    await k.updateMerchant(namespaces.edit, 'edited', (m) => ({
      ...m,
      spec: {
        ...m.spec,
        projects: [
          {
            name: 'storefront',
            apiKeys: [
              { name: 'server', mode: 'test', secretName: 'edited-test' },
              { name: 'live-server', mode: 'live', secretName: 'edited-live' },
            ],
          },
        ],
      },
    }));
    const merchant = present(
      await eventually(
        () => k.merchants.get({ namespace: namespaces.edit, name: 'edited' }),
        (m) => isReadyAndCurrent(m) && m?.metadata?.generation === 2,
        'generation 2 Ready',
      ),
    );
    const live = await k.secret(namespaces.edit, 'edited-live');
    const again = await k.secret(namespaces.edit, 'edited-test');

    expect(merchant.status?.projects?.[0]?.apiKeys?.map((key) => key.name)).toEqual([
      'server',
      'live-server',
    ]);
    expect((await account(secretValue(live, 'secretKey'))).body).toMatchObject({ mode: 'live' });
    expect(again?.data).toEqual(first?.data);
    expect(again?.metadata?.resourceVersion).toBe(first?.metadata?.resourceVersion);
  });

  it('when a key is revoked behind the operator, then a new key is issued, the Secret updated and an Event recorded', async () => {
    await k.createMerchant(
      namespaces.drift,
      merchantSpec('drifty', [{ name: 'server', mode: 'test', secretName: 'drifty-test' }]),
    );
    const merchant = await readyMerchant(namespaces.drift, 'drifty');
    const before = await k.secret(namespaces.drift, 'drifty-test');
    const keyId = secretValue(before, 'keyId');
    const merchantId = merchant.status?.merchantId;
    const projectId = secretValue(before, 'projectId');

    const revoke = await merchantsInternal(urls.merchants)(
      'DELETE',
      `/internal/merchants/${merchantId}/projects/${projectId}/api_keys/${keyId}`,
    );
    const after = await eventually(
      () => k.secret(namespaces.drift, 'drifty-test'),
      (s) => secretValue(s, 'keyId') !== keyId,
      'the Secret to carry a new key',
    );

    expect(revoke.status).toBe(200);
    expect((await account(secretValue(before, 'secretKey'))).status).toBe(401);
    expect((await account(secretValue(after, 'secretKey'))).status).toBe(200);
    const events = await eventually(
      () => k.events(namespaces.drift),
      (all) => all.some((e) => e.reason === 'KeyReissued'),
      'a KeyReissued event',
    );
    expect(events.find((e) => e.reason === 'KeyReissued')?.involvedObject).toMatchObject({
      kind: 'Merchant',
      name: 'drifty',
    });
  });

  it('when a key Secret is deleted, then the key is reissued into a new Secret and the old key stops working', async () => {
    const namespace = namespaces.drift;
    await k.createMerchant(
      namespace,
      merchantSpec('lost', [{ name: 'server', mode: 'test', secretName: 'lost-test' }]),
    );
    await readyMerchant(namespace, 'lost');
    const before = await k.secret(namespace, 'lost-test');

    await k.deleteSecret(namespace, 'lost-test');
    const after = await eventually(
      () => k.secret(namespace, 'lost-test'),
      (s) => s !== undefined && secretValue(s, 'keyId') !== secretValue(before, 'keyId'),
      'a recreated Secret',
    );
    // The Secret is written before the status, so wait for the status to name the new key too.
    const merchant = present(
      await eventually(
        () => k.merchants.get({ namespace, name: 'lost' }),
        (m) =>
          isReadyAndCurrent(m) &&
          m?.status?.projects?.[0]?.apiKeys?.[0]?.id === secretValue(after, 'keyId'),
        'the status to name the reissued key',
      ),
    );

    expect((await account(secretValue(after, 'secretKey'))).status).toBe(200);
    expect((await account(secretValue(before, 'secretKey'))).status).toBe(401);
    expect(merchant.status?.projects?.[0]?.apiKeys?.[0]?.id).toBe(secretValue(after, 'keyId'));
    expect(await activeKeys(merchant.status?.merchantId)).toBe(1);
  });

  it('when a Merchant is deleted, then its keys stop working and the finalizer lets it go', async () => {
    await k.createMerchant(
      namespaces.gone,
      merchantSpec('leaving', [{ name: 'server', mode: 'test', secretName: 'leaving-test' }]),
    );
    await readyMerchant(namespaces.gone, 'leaving');
    const secret = await k.secret(namespaces.gone, 'leaving-test');
    expect((await account(secretValue(secret, 'secretKey'))).status).toBe(200);

    await k.deleteMerchant(namespaces.gone, 'leaving');
    await untilGone(
      () => k.merchants.get({ namespace: namespaces.gone, name: 'leaving' }),
      'the Merchant to be gone',
    );

    expect((await account(secretValue(secret, 'secretKey'))).status).toBe(401);
  });
});

describe('Merchant Secrets and deletion', () => {
  it('when a Merchant names a Secret the operator does not own, then the Secret is untouched and the Merchant is Degraded with reason SecretConflict', async () => {
    const foreign = await k.kube.core.createNamespacedSecret({
      namespace: namespaces.conflict,
      body: {
        metadata: { name: 'platform-secrets' },
        stringData: { JWT_SECRET: 'the-platform-keeps-this-value-0123456789' },
      },
    });
    await k.createMerchant(
      namespaces.conflict,
      merchantSpec('grabby', [{ name: 'server', mode: 'test', secretName: 'platform-secrets' }]),
    );

    const merchant = await eventually(
      () => k.merchants.get({ namespace: namespaces.conflict, name: 'grabby' }),
      (m) => condition(m, 'Degraded')?.reason === 'SecretConflict',
      'grabby Degraded with SecretConflict',
    );

    expect(condition(merchant, 'Ready')?.status).toBe('False');
    expect(condition(merchant, 'Degraded')?.status).toBe('True');
    // Seen again on every resync (5 s here): one Event whose count rises, not one per pass.
    const conflictEvents = async () =>
      (await k.events(namespaces.conflict)).filter(
        (e) => e.involvedObject.name === 'grabby' && e.reason === 'SecretConflict',
      );
    const aggregated = await eventually(
      conflictEvents,
      (events) => events.some((e) => (e.count ?? 0) >= 3),
      'the SecretConflict Event counted three times',
    );
    expect(aggregated).toHaveLength(1);
    expect(aggregated[0]?.series?.count).toBe(aggregated[0]?.count);
    expect(aggregated[0]?.type).toBe('Warning');
    const after = await k.secret(namespaces.conflict, 'platform-secrets');
    expect(after?.metadata?.resourceVersion).toBe(foreign.metadata?.resourceVersion);
    expect(after?.metadata?.ownerReferences).toBeUndefined();
    expect(await activeKeys(merchant?.status?.merchantId)).toBe(0);

    await k.deleteMerchant(namespaces.conflict, 'grabby');
    await untilGone(
      () => k.merchants.get({ namespace: namespaces.conflict, name: 'grabby' }),
      'grabby to be gone',
    );
    expect((await k.secret(namespaces.conflict, 'platform-secrets'))?.metadata?.uid).toBe(
      foreign.metadata?.uid,
    );
  });

  it('when two Merchants name the same Secret, then the first keeps it and its key across resyncs, and the second is Degraded', async () => {
    const keys = [{ name: 'server', mode: 'test' as const, secretName: 'shared-secret' }];
    await k.createMerchant(namespaces.conflict, merchantSpec('first', keys));
    const first = await readyMerchant(namespaces.conflict, 'first');
    const keyId = secretValue(await k.secret(namespaces.conflict, 'shared-secret'), 'keyId');
    await k.createMerchant(namespaces.conflict, merchantSpec('second', keys));
    await eventually(
      () => k.merchants.get({ namespace: namespaces.conflict, name: 'second' }),
      (m) => condition(m, 'Degraded')?.reason === 'SecretConflict',
      'second Degraded with SecretConflict',
    );
    // Both are reconciled again by the resync (every 5 s here): the first keeps its key.
    const reconciles = async () => {
      const text = await (await fetch(`${operator.url}/metrics`)).text();
      return text
        .split('\n')
        .filter((l) => /^operator_reconcile_total\{.*kind="Merchant"/.test(l))
        .reduce((sum, l) => sum + Number(l.split(' ').at(-1) ?? 0), 0);
    };
    const before = await reconciles();
    await eventually(reconciles, (n) => n >= before + 4, 'two more resyncs', 30_000);

    const secret = await k.secret(namespaces.conflict, 'shared-secret');
    expect(secretValue(secret, 'keyId')).toBe(keyId);
    expect((await account(secretValue(secret, 'secretKey'))).status).toBe(200);
    expect(secret?.metadata?.ownerReferences?.[0]?.uid).toBe(first.metadata?.uid);
  }, 60_000);

  it('when a Merchant is deleted, then keys issued behind its status are revoked too, the merchant deactivated and its Secrets deleted', async () => {
    await k.createMerchant(
      namespaces.gone,
      merchantSpec('thorough', [{ name: 'server', mode: 'test', secretName: 'thorough-test' }]),
    );
    const merchant = await readyMerchant(namespaces.gone, 'thorough');
    const merchantId = present(merchant.status?.merchantId, 'merchantId');
    const projectId = present(merchant.status?.projects?.[0]?.id, 'projectId');
    // A key the status never recorded (like one issued just before a crash), and the operator's
    // own key for webhook endpoints.
    const call = merchantsInternal(urls.merchants);
    const extra = await call<{ secret: string }>(
      'POST',
      `/internal/merchants/${merchantId}/projects/${projectId}/api_keys/ensure`,
      { name: 'expe-operator', mode: 'test' },
    );
    expect((await account(extra.body.secret)).status).toBe(200);

    await k.deleteMerchant(namespaces.gone, 'thorough');
    await untilGone(
      () => k.merchants.get({ namespace: namespaces.gone, name: 'thorough' }),
      'thorough to be gone',
    );

    expect((await account(extra.body.secret)).status).toBe(401);
    expect(await k.secret(namespaces.gone, 'thorough-test')).toBeUndefined();
    const row = await call<{ deactivated: boolean }>('GET', `/internal/merchants/${merchantId}`);
    expect(row.body.deactivated).toBe(true);
    const events = await k.events(namespaces.gone);
    const deactivated = events.filter(
      (e) => e.involvedObject.name === 'thorough' && e.reason === 'MerchantDeactivated',
    );
    // Once: the Secrets it deleted queue it again, and that pass must not clean up again.
    expect(deactivated).toHaveLength(1);
    expect(deactivated[0]?.count).toBe(1);
  });

  it('when a key is removed from the spec, then it is revoked, its Secret deleted and a KeyRemoved Event recorded', async () => {
    const keys = [
      { name: 'server', mode: 'test' as const, secretName: 'trimmed-server' },
      { name: 'batch', mode: 'test' as const, secretName: 'trimmed-batch' },
    ];
    await k.createMerchant(namespaces.removed, merchantSpec('trimmed', keys));
    await readyMerchant(namespaces.removed, 'trimmed');
    const batch = present(await k.secret(namespaces.removed, 'trimmed-batch'), 'batch Secret');
    const server = await k.secret(namespaces.removed, 'trimmed-server');
    expect((await account(secretValue(batch, 'secretKey'))).status).toBe(200);

    await k.updateMerchant(namespaces.removed, 'trimmed', (m) => ({
      ...m,
      spec: { ...m.spec, projects: [{ name: 'storefront', apiKeys: [keys[0]!] }] },
    }));
    await untilGone(
      () => k.secret(namespaces.removed, 'trimmed-batch'),
      "the removed key's Secret to be deleted",
    );

    // The revocation, the Secret's deletion and the Event are separate writes of one pass: each
    // is waited for, not assumed to be visible in the order the operator makes them.
    await eventually(
      async () => (await account(secretValue(batch, 'secretKey'))).status,
      (status) => status === 401,
      'the removed key to be refused',
    );
    const kept = await k.secret(namespaces.removed, 'trimmed-server');
    expect(kept?.metadata?.resourceVersion).toBe(server?.metadata?.resourceVersion);
    expect((await account(secretValue(kept, 'secretKey'))).status).toBe(200);
    const removed = await eventually(
      async () =>
        (await k.events(namespaces.removed)).find(
          (e) => e.involvedObject.name === 'trimmed' && e.reason === 'KeyRemoved',
        ),
      (event) => event !== undefined,
      'the KeyRemoved Event',
    );
    expect(removed?.type).toBe('Normal');
    expect(removed?.message).toContain(secretValue(batch, 'keyId') ?? 'the key id');
    expect(removed?.message).toContain('trimmed-batch');
  });

  it('when the merchants service is unreachable, then deletion retries for the cleanup timeout, then lets go with a CleanupAbandoned event', async () => {
    const unreachable = await startOperator({
      // Nothing listens there.
      merchantsUrl: 'http://127.0.0.1:9',
      webhooksUrl: 'http://127.0.0.1:9',
      leaseName: 'abandon-test',
      identity: 'abandon-a',
      namespaces: ['abandon'],
      env: { CLEANUP_TIMEOUT_SECONDS: '3' },
    });
    try {
      await k.createMerchant(
        'abandon',
        merchantSpec('stranded', [{ name: 'server', mode: 'test', secretName: 'stranded-test' }]),
      );
      await eventually(
        () => k.merchants.get({ namespace: 'abandon', name: 'stranded' }),
        (m) => (m?.metadata?.finalizers ?? []).length > 0,
        'the finalizer',
      );
      // Waiting for the service is work under way, not a fault of the resource.
      const waiting = await eventually(
        () => k.merchants.get({ namespace: 'abandon', name: 'stranded' }),
        (m) => condition(m, 'Progressing')?.reason === 'WaitingForMerchantsService',
        'stranded Progressing while the merchants service is unreachable',
      );
      expect(condition(waiting, 'Progressing')?.status).toBe('True');
      expect(condition(waiting, 'Degraded')?.status).toBe('False');
      expect(condition(waiting, 'Ready')?.status).toBe('False');
      const deletedAt = Date.now();

      await k.deleteMerchant('abandon', 'stranded');
      await untilGone(
        () => k.merchants.get({ namespace: 'abandon', name: 'stranded' }),
        'stranded to be let go',
      );

      expect(Date.now() - deletedAt).toBeGreaterThanOrEqual(2_000);
      const events = await k.events('abandon');
      const abandoned = events.find(
        (e) => e.involvedObject.name === 'stranded' && e.reason === 'CleanupAbandoned',
      );
      expect(abandoned?.type).toBe('Warning');
      expect(abandoned?.message).toMatch(/may still be active/);
    } finally {
      await unreachable.close();
    }
  }, 60_000);
});

describe('WebhookEndpoint', () => {
  it('when the Merchant is missing, then the endpoint is Degraded with reason MerchantNotFound', async () => {
    await k.createEndpoint(
      namespaces.hooks,
      webhookEndpoint('orphan', {
        merchant: 'nobody',
        url: 'http://127.0.0.1:9/hooks',
        enabledEvents: ['*'],
        signingSecret: 'orphan-signing',
      }),
    );

    const endpoint = await eventually(
      () => k.endpoints.get({ namespace: namespaces.hooks, name: 'orphan' }),
      (e) => condition(e, 'Degraded')?.status === 'True',
      'Degraded',
    );

    expect(condition(endpoint, 'Degraded')?.reason).toBe('MerchantNotFound');
    expect(condition(endpoint, 'Ready')?.status).toBe('False');
  });

  it('when its Merchant exists but is not Ready, then the endpoint is Progressing with reason MerchantNotReady, not Degraded', async () => {
    // A Merchant stuck on a Secret it does not own never becomes Ready.
    await k.kube.core.createNamespacedSecret({
      namespace: namespaces.hooks,
      body: { metadata: { name: 'taken-secret' }, stringData: { owner: 'someone else' } },
    });
    await k.createMerchant(
      namespaces.hooks,
      merchantSpec('blocked', [{ name: 'server', mode: 'test', secretName: 'taken-secret' }]),
    );
    await k.createEndpoint(
      namespaces.hooks,
      webhookEndpoint('waiting', {
        merchant: 'blocked',
        url: 'http://127.0.0.1:9/hooks',
        enabledEvents: ['*'],
        signingSecret: 'waiting-signing',
      }),
    );

    await expectWaitingOnMerchant(
      () => k.endpoints.get({ namespace: namespaces.hooks, name: 'waiting' }),
      'the endpoint waiting on its Merchant',
    );
  });

  it('when a WebhookEndpoint is applied, then a payment with the key delivers a webhook signed with the Secret', async () => {
    const receiver = await startWebhookReceiver();
    try {
      await k.createMerchant(
        namespaces.hooks,
        merchantSpec('hooked', [{ name: 'server', mode: 'test', secretName: 'hooked-test' }]),
      );
      await k.createEndpoint(
        namespaces.hooks,
        webhookEndpoint('hooked-events', {
          merchant: 'hooked',
          url: receiver.url,
          enabledEvents: ['payment.succeeded'],
          signingSecret: 'hooked-signing',
        }),
      );
      const endpoint = present(
        await untilReady(
          () => k.endpoints.get({ namespace: namespaces.hooks, name: 'hooked-events' }),
          'endpoint Ready',
        ),
      );
      const keySecret = await k.secret(namespaces.hooks, 'hooked-test');
      const signing = await k.secret(namespaces.hooks, 'hooked-signing');
      const secretKey = secretValue(keySecret, 'secretKey') ?? '';

      const { payment, confirm, delivery } = await payAndReceiveWebhook(
        platform,
        receiver,
        secretKey,
      );

      expect([payment.status, confirm.status]).toEqual([201, 200]);
      expect(endpoint.status?.endpointId).toMatch(/^we_/);
      expect(delivery.event.data.object).toMatchObject({ id: payment.body.id });
      const header = String(delivery.headers['expe-signature'] ?? '');
      const verified = verifyWebhookSignature(
        delivery.rawBody,
        header,
        secretValue(signing, 'signingSecret') ?? '',
      );
      expect(verified).toMatchObject({ type: 'payment.succeeded' });

      await k.updateEndpoint(namespaces.hooks, 'hooked-events', (e) => ({
        ...e,
        spec: {
          ...e.spec,
          enabledEvents: ['payment.succeeded', 'refund.succeeded'],
          disabled: true,
        },
      }));
      const updated = await eventually(
        () =>
          platform.api('GET', `/v1/webhook_endpoints/${endpoint.status?.endpointId}`, {
            token: secretKey,
          }),
        (r) => r.body?.status === 'disabled',
        'the endpoint to follow the edited spec',
      );
      expect(updated.body.enabled_events).toEqual(
        expect.arrayContaining(['payment.succeeded', 'refund.succeeded']),
      );

      await k.deleteEndpoint(namespaces.hooks, 'hooked-events');
      await untilGone(
        () => k.endpoints.get({ namespace: namespaces.hooks, name: 'hooked-events' }),
        'the endpoint resource to be gone',
      );
      const listed = await platform.api('GET', '/v1/webhook_endpoints', { token: secretKey });
      expect(listed.body.data).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});

describe('deletion order', () => {
  it('when a Merchant is deleted before its WebhookEndpoint, then the endpoint is still removed from the webhooks service', async () => {
    const ns = namespaces.merchantFirst;
    await k.createMerchant(
      ns,
      merchantSpec('first-out', [{ name: 'server', mode: 'test', secretName: 'first-out-test' }]),
    );
    await k.createEndpoint(
      ns,
      webhookEndpoint('first-out-hooks', {
        merchant: 'first-out',
        url: 'http://127.0.0.1:9/hooks',
        enabledEvents: ['payment.succeeded'],
        signingSecret: 'first-out-signing',
      }),
    );
    const endpoint = await untilReady(
      () => k.endpoints.get({ namespace: ns, name: 'first-out-hooks' }),
      'endpoint Ready',
    );
    const endpointId = present(endpoint?.status?.endpointId, 'endpointId');
    const live = () => liveEndpoints(platform.databaseUrl, endpointId);
    expect(await live()).toBe(1);

    // The order `kubectl delete -f k8s/samples/` deletes in.
    await k.deleteMerchant(ns, 'first-out');
    await untilGone(
      () => k.merchants.get({ namespace: ns, name: 'first-out' }),
      'the Merchant to be gone',
    );
    // Removed with the merchant, while its keys still worked: not left enabled (and delivering)
    // until someone deletes the WebhookEndpoint too.
    expect(await live()).toBe(0);
    await k.deleteEndpoint(ns, 'first-out-hooks');
    await untilGone(
      () => k.endpoints.get({ namespace: ns, name: 'first-out-hooks' }),
      'the WebhookEndpoint to be gone',
    );

    expect(await live()).toBe(0);
    expect(await k.secret(ns, 'first-out-signing')).toBeUndefined();
  });

  it('when the namespace the operator runs in is deleted, then on shutdown it cleans up and releases its resources there so the namespace can go', async () => {
    const ns = 'teardown';
    const local = await startOperator({
      leaseName: 'teardown',
      identity: 'teardown-operator',
      namespaces: [ns],
      env: { POD_NAMESPACE: ns },
    });
    let closed = false;
    try {
      await k.createMerchant(
        ns,
        merchantSpec('resident', [{ name: 'server', mode: 'test', secretName: 'resident-test' }]),
      );
      await k.createEndpoint(
        ns,
        webhookEndpoint('resident-hooks', {
          merchant: 'resident',
          url: 'http://127.0.0.1:9/hooks',
          enabledEvents: ['payment.succeeded'],
          signingSecret: 'resident-signing',
        }),
      );
      const endpoint = await untilReady(
        () => k.endpoints.get({ namespace: ns, name: 'resident-hooks' }),
        'endpoint Ready',
      );
      const endpointId = present(endpoint?.status?.endpointId, 'endpointId');
      const secret = await k.secret(ns, 'resident-test');
      expect((await account(secretValue(secret, 'secretKey'))).status).toBe(200);

      // Kubernetes (1.32+, ordered namespace deletion) deletes the Pods first: the operator is
      // told to stop while its resources, with their finalizers, are still there.
      await k.kube.core.deleteNamespace({ name: ns });
      closed = true;
      await local.close();

      const merchant = await k.merchants.get({ namespace: ns, name: 'resident' });
      const released = await k.endpoints.get({ namespace: ns, name: 'resident-hooks' });
      expect(merchant?.metadata?.finalizers ?? []).not.toContain('expe.dev/merchant-cleanup');
      expect(released?.metadata?.finalizers ?? []).not.toContain(
        'expe.dev/webhook-endpoint-cleanup',
      );
      expect((await account(secretValue(secret, 'secretKey'))).status).toBe(401);
      expect(await liveEndpoints(platform.databaseUrl, endpointId)).toBe(0);
    } finally {
      if (!closed) await local.close();
    }
  });
});

describe('forced deletion and endpoint Secrets', () => {
  it('when a Merchant carries expe.dev/force-delete and the merchants service is gone, then it is let go at once with a CleanupSkipped event', async () => {
    const unreachable = await startOperator({
      merchantsUrl: 'http://127.0.0.1:9',
      webhooksUrl: 'http://127.0.0.1:9',
      leaseName: 'force-test',
      identity: 'force-a',
      namespaces: ['force'],
    });
    try {
      const spec = merchantSpec('forced', [
        { name: 'server', mode: 'test', secretName: 'forced-test' },
      ]);
      await k.createMerchant('force', {
        ...spec,
        metadata: { ...spec.metadata, annotations: { 'expe.dev/force-delete': 'true' } },
      });
      await eventually(
        () => k.merchants.get({ namespace: 'force', name: 'forced' }),
        (m) => (m?.metadata?.finalizers ?? []).length > 0,
        'the finalizer',
      );

      await k.deleteMerchant('force', 'forced');

      // The default cleanup timeout is 10 minutes: only the annotation lets it go this soon.
      await untilGone(
        () => k.merchants.get({ namespace: 'force', name: 'forced' }),
        'forced to be let go',
        15_000,
      );
      const events = await k.events('force');
      expect(
        events.some((e) => e.involvedObject.name === 'forced' && e.reason === 'CleanupSkipped'),
      ).toBe(true);
    } finally {
      await unreachable.close();
    }
  }, 60_000);

  it('when a WebhookEndpoint names a Secret it does not own, then the Secret is untouched and the endpoint is Degraded with reason SecretConflict', async () => {
    await k.createMerchant(
      namespaces.conflict,
      merchantSpec('hooky', [{ name: 'server', mode: 'test', secretName: 'hooky-test' }]),
    );
    await readyMerchant(namespaces.conflict, 'hooky');
    const foreign = await k.kube.core.createNamespacedSecret({
      namespace: namespaces.conflict,
      body: { metadata: { name: 'tls-cert' }, stringData: { 'tls.key': 'not yours' } },
    });
    await k.createEndpoint(
      namespaces.conflict,
      webhookEndpoint('hooky-events', {
        merchant: 'hooky',
        url: 'https://hooks.example/expe',
        enabledEvents: ['*'],
        signingSecret: 'tls-cert',
      }),
    );

    const endpoint = await eventually(
      () => k.endpoints.get({ namespace: namespaces.conflict, name: 'hooky-events' }),
      (e) => condition(e, 'Degraded')?.reason === 'SecretConflict',
      'the endpoint Degraded with SecretConflict',
    );

    expect(condition(endpoint, 'Ready')?.status).toBe('False');
    expect((await k.secret(namespaces.conflict, 'tls-cert'))?.metadata?.resourceVersion).toBe(
      foreign.metadata?.resourceVersion,
    );
  });
});

describe('a merchant shut down behind the operator', () => {
  it('when its merchant is deactivated out of band, then the Merchant is Degraded with reason MerchantDeactivated and issues nothing', async () => {
    await k.createMerchant(
      namespaces.conflict,
      merchantSpec('shut', [{ name: 'server', mode: 'test', secretName: 'shut-test' }]),
    );
    const ready = await readyMerchant(namespaces.conflict, 'shut');
    const call = merchantsInternal(urls.merchants);
    await call('POST', '/internal/merchants/deactivate', {
      merchant_id: ready.status?.merchantId,
    });

    // A spec change sends it through reconcile at once.
    await k.updateMerchant(namespaces.conflict, 'shut', (m) => ({
      ...m,
      spec: { ...m.spec, displayName: 'Shut shop' },
    }));
    const merchant = await eventually(
      () => k.merchants.get({ namespace: namespaces.conflict, name: 'shut' }),
      (m) => condition(m, 'Degraded')?.reason === 'MerchantDeactivated',
      'shut Degraded with MerchantDeactivated',
    );

    expect(condition(merchant, 'Ready')?.status).toBe('False');
    expect(await activeKeys(ready.status?.merchantId)).toBe(0);
  });
});

describe('backup and restore of a WebhookEndpoint', () => {
  it('when a WebhookEndpoint is restored without its status, then it adopts its registered endpoint instead of registering another', async () => {
    const start = (identity: string) =>
      startOperator({
        leaseName: 'restore-hooks-test',
        identity,
        namespaces: ['restore-hooks'],
      });
    const endpointSpec = {
      merchantRef: { name: 'hookshop' },
      project: 'storefront',
      mode: 'test' as const,
      url: 'https://hooks.example/restored',
      enabledEvents: ['payment.succeeded'],
      signingSecretRef: { name: 'hookshop-signing' },
    };
    const before = await start('restore-hooks-a');
    let original;
    try {
      await k.createMerchant(
        'restore-hooks',
        merchantSpec('hookshop', [{ name: 'server', mode: 'test', secretName: 'hookshop-test' }]),
      );
      await readyMerchant('restore-hooks', 'hookshop');
      await k.createEndpoint('restore-hooks', {
        metadata: { name: 'hookshop-events' },
        spec: endpointSpec,
      });
      original = present(
        await untilReady(
          () => k.endpoints.get({ namespace: 'restore-hooks', name: 'hookshop-events' }),
          'endpoint Ready',
        ),
      );
    } finally {
      await before.close();
    }
    const signing = await k.secret('restore-hooks', 'hookshop-signing');
    await k.updateEndpoint('restore-hooks', 'hookshop-events', (e) => ({
      ...e,
      metadata: { ...e.metadata, finalizers: [] },
    }));
    await k.deleteEndpoint('restore-hooks', 'hookshop-events');
    await untilGone(
      () => k.endpoints.get({ namespace: 'restore-hooks', name: 'hookshop-events' }),
      'the endpoint resource to be gone',
    );

    await k.createEndpoint('restore-hooks', {
      metadata: { name: 'hookshop-events', annotations: original.metadata?.annotations },
      spec: endpointSpec,
    });
    const after = await start('restore-hooks-b');
    try {
      const restored = present(
        await untilReady(
          () => k.endpoints.get({ namespace: 'restore-hooks', name: 'hookshop-events' }),
          'restored endpoint Ready',
        ),
      );
      const secretKey = secretValue(await k.secret('restore-hooks', 'hookshop-test'), 'secretKey');
      const listed = await platform.api('GET', '/v1/webhook_endpoints', { token: secretKey });

      expect(restored.status?.endpointId).toBe(original.status?.endpointId);
      expect(listed.body.data.map((e: { id: string }) => e.id)).toEqual([
        original.status?.endpointId,
      ]);
      expect(
        secretValue(await k.secret('restore-hooks', 'hookshop-signing'), 'signingSecret'),
      ).toBe(secretValue(signing, 'signingSecret'));
    } finally {
      await after.close();
    }
  }, 60_000);
});

describe('leader election Lease', () => {
  it('when the operator runs as a Deployment, then the Lease it creates is owned by that Deployment (it goes with the release)', async () => {
    const deployment = await k.kube.apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'owned-operator' },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'owned-operator' } },
          template: {
            metadata: { labels: { app: 'owned-operator' } },
            spec: { containers: [{ name: 'operator', image: 'expe-operator:test' }] },
          },
        },
      },
    });
    const owned = await startOperator({
      leaseName: 'owned-lease',
      identity: 'owned-a',
      namespaces: ['owned-nothing'],
      env: { LEASE_OWNER_DEPLOYMENT: 'owned-operator' },
    });
    try {
      const lease = await eventually(
        () =>
          k.kube.coordination.readNamespacedLease({ namespace: 'default', name: 'owned-lease' }),
        (l) => l.spec?.holderIdentity === 'owned-a',
        'the Lease held',
      );

      expect(lease.metadata?.ownerReferences).toEqual([
        expect.objectContaining({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'owned-operator',
          uid: deployment.metadata?.uid,
        }),
      ]);
    } finally {
      await owned.close();
    }
  });
});

describe('backup and restore', () => {
  it('when a Merchant is restored from a backup (new UID, no status, same annotations), then it finds the same merchant and keeps its key', async () => {
    const start = (identity: string) =>
      startOperator({
        leaseName: 'restore-test',
        identity,
        namespaces: ['restore'],
      });
    const before = await start('restore-a');
    let original: Merchant;
    try {
      await k.createMerchant(
        'restore',
        merchantSpec('restored', [{ name: 'server', mode: 'test', secretName: 'restored-test' }]),
      );
      original = await readyMerchant('restore', 'restored');
    } finally {
      await before.close();
    }
    const secret = await k.secret('restore', 'restored-test');
    // The backup: the resource's spec and metadata as `kubectl get -o yaml` shows them.
    const backup = {
      metadata: {
        name: 'restored',
        annotations: original.metadata?.annotations,
        labels: original.metadata?.labels,
      },
      spec: original.spec,
    };
    // The disaster: the resource is gone (no operator runs, so no cleanup).
    await k.updateMerchant('restore', 'restored', (m) => ({
      ...m,
      metadata: { ...m.metadata, finalizers: [] },
    }));
    await k.deleteMerchant('restore', 'restored');
    await untilGone(
      () => k.merchants.get({ namespace: 'restore', name: 'restored' }),
      'the Merchant to be gone',
    );

    const restored = await k.createMerchant('restore', backup);
    const after = await start('restore-b');
    try {
      const merchant = await readyMerchant('restore', 'restored');

      expect(restored.metadata?.uid).not.toBe(original.metadata?.uid);
      expect(merchant.status?.merchantId).toBe(original.status?.merchantId);
      const kept = await k.secret('restore', 'restored-test');
      expect(secretValue(kept, 'keyId')).toBe(secretValue(secret, 'keyId'));
      expect((await account(secretValue(kept, 'secretKey'))).status).toBe(200);
      expect(await activeKeys(merchant.status?.merchantId)).toBe(1);
    } finally {
      await after.close();
    }
  }, 60_000);
});

describe('rotation', () => {
  it('when spec.rotation.trigger changes, then every key is rolled into its Secret and the previous secret works for overlapSeconds', async () => {
    await k.createMerchant(
      namespaces.rotate,
      merchantSpec('rolling', [{ name: 'server', mode: 'test', secretName: 'rolling-test' }]),
    );
    await readyMerchant(namespaces.rotate, 'rolling');
    const before = await k.secret(namespaces.rotate, 'rolling-test');
    const first = present(secretValue(before, 'secretKey'), 'secretKey');

    await k.updateMerchant(namespaces.rotate, 'rolling', (m) => ({
      ...m,
      spec: { ...m.spec, rotation: { overlapSeconds: 3600, trigger: '2026-11-28' } },
    }));
    const after = await eventually(
      () => k.secret(namespaces.rotate, 'rolling-test'),
      (secret) => secret?.metadata?.annotations?.['expe.dev/rotation-trigger'] === '2026-11-28',
      'the rolled Secret',
    );
    const second = present(secretValue(after, 'secretKey'), 'secretKey');

    expect(second).not.toBe(first);
    expect(secretValue(after, 'keyId')).toBe(secretValue(before, 'keyId'));
    expect((await account(first)).status).toBe(200);
    expect((await account(second)).status).toBe(200);
    const merchant = await eventually(
      () => k.merchants.get({ namespace: namespaces.rotate, name: 'rolling' }),
      (m) => m?.status?.rotation?.trigger === '2026-11-28' && isReadyAndCurrent(m),
      'status.rotation',
    );
    expect(merchant?.status?.rotation?.rotatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const events = await k.events(namespaces.rotate);
    expect(events.some((e) => e.reason === 'KeyRotated')).toBe(true);

    // No overlap: the secret that was current stops at once.
    await k.updateMerchant(namespaces.rotate, 'rolling', (m) => ({
      ...m,
      spec: { ...m.spec, rotation: { overlapSeconds: 0, trigger: 'incident-42' } },
    }));
    const third = present(
      secretValue(
        await eventually(
          () => k.secret(namespaces.rotate, 'rolling-test'),
          (s) => s?.metadata?.annotations?.['expe.dev/rotation-trigger'] === 'incident-42',
          'the second roll',
        ),
        'secretKey',
      ),
    );
    await eventually(
      async () => (await account(second)).status,
      (status) => status === 401,
      'the second secret to stop (gateway key cache)',
      10_000,
    );
    expect((await account(third)).status).toBe(200);
  });

  it('when signingSecretRotation.trigger changes, then the Secret gets a new signing secret and deliveries are signed with both during the overlap', async () => {
    const receiver = await startWebhookReceiver();
    try {
      await k.createMerchant(
        namespaces.rotate,
        merchantSpec('signer', [{ name: 'server', mode: 'test', secretName: 'signer-test' }]),
      );
      await k.createEndpoint(
        namespaces.rotate,
        webhookEndpoint('signer-events', {
          merchant: 'signer',
          url: receiver.url,
          enabledEvents: ['payment.succeeded'],
          signingSecret: 'signer-signing',
        }),
      );
      await untilReady(
        () => k.endpoints.get({ namespace: namespaces.rotate, name: 'signer-events' }),
        'endpoint Ready',
      );
      const old = present(
        secretValue(await k.secret(namespaces.rotate, 'signer-signing'), 'signingSecret'),
      );

      await k.updateEndpoint(namespaces.rotate, 'signer-events', (e) => ({
        ...e,
        spec: { ...e.spec, signingSecretRotation: { overlapSeconds: 600, trigger: 'r1' } },
      }));
      const rotated = await eventually(
        () => k.secret(namespaces.rotate, 'signer-signing'),
        (s) => s?.metadata?.annotations?.['expe.dev/rotation-trigger'] === 'r1',
        'the rotated signing Secret',
      );
      const fresh = present(secretValue(rotated, 'signingSecret'));
      const secretKey = present(
        secretValue(await k.secret(namespaces.rotate, 'signer-test'), 'secretKey'),
      );
      const { delivery } = await payAndReceiveWebhook(platform, receiver, secretKey);
      const header = String(delivery.headers['expe-signature'] ?? '');

      expect(fresh).not.toBe(old);
      expect(verifyWebhookSignature(delivery.rawBody, header, fresh)).toMatchObject({
        type: 'payment.succeeded',
      });
      expect(verifyWebhookSignature(delivery.rawBody, header, old)).toMatchObject({
        type: 'payment.succeeded',
      });
    } finally {
      await receiver.close();
    }
  });
});

describe('probes', () => {
  it('when /healthz and /metrics are called, then they answer with leadership and reconcile counts', async () => {
    await readyMerchant(namespaces.main, 'acme');

    const health = await fetch(`${operator.url}/healthz`);
    const metrics = await fetch(`${operator.url}/metrics`);

    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', leader: true });
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(
      /operator_reconcile_total\{[^}]*controller="merchant"[^}]*kind="Merchant"[^}]*result="success"/,
    );
    expect(text).toMatch(/operator_reconcile_duration_seconds_bucket\{[^}]*controller="merchant"/);
    expect(text).toMatch(
      /operator_reconcile_duration_seconds_count\{[^}]*controller="webhookendpoint"/,
    );
    // Work queue and leader election, as controller-runtime exports them.
    expect(text).toMatch(/operator_workqueue_depth\{controller="merchant"[^}]*\} \d+/);
    expect(text).toMatch(/operator_workqueue_retries\{controller="webhookendpoint"[^}]*\} \d+/);
    expect(text).toMatch(/operator_leader\{lease="default\/main"[^}]*\} 1/);
    // Requests to the API server, as client-go's rest_client metrics: method, code, latency.
    expect(text).toMatch(
      /operator_kube_api_requests_total\{[^}]*method="GET"[^}]*code="200"[^}]*\} [1-9]/,
    );
    expect(text).toMatch(/operator_kube_api_requests_total\{[^}]*method="PATCH"[^}]*code="200"/);
    expect(text).toMatch(
      /operator_kube_api_request_duration_seconds_count\{[^}]*method="PUT"[^}]*\} [1-9]/,
    );
  });
});

describe('leader election and restarts', () => {
  it('when two operators run, then only the Lease holder reconciles, and the other takes over when it stops', async () => {
    const start = (identity: string) =>
      startOperator({
        leaseName: 'lease-test',
        identity,
        namespaces: ['lease'],
      });
    const first = await start('replica-a');
    await eventually(() => Promise.resolve(first.isLeader()), Boolean, 'replica-a to lead');
    const second = await start('replica-b');
    try {
      await k.createMerchant(
        'lease',
        merchantSpec('led', [{ name: 'server', mode: 'test', secretName: 'led-test' }]),
      );
      await readyMerchant('lease', 'led');
      const lease = await k.kube.coordination.readNamespacedLease({
        namespace: 'default',
        name: 'lease-test',
      });

      expect([first.isLeader(), second.isLeader()]).toEqual([true, false]);
      expect(lease.spec?.holderIdentity).toBe('replica-a');

      await first.close();
      await eventually(() => Promise.resolve(second.isLeader()), Boolean, 'replica-b to take over');
      await k.createMerchant(
        'lease',
        merchantSpec('after', [{ name: 'server', mode: 'test', secretName: 'after-test' }]),
      );
      const merchant = await readyMerchant('lease', 'after');

      expect(merchant.status?.merchantId).toMatch(/^mer_/);
    } finally {
      await first.close();
      await second.close();
    }
  }, 60_000);

  it('when another replica takes the Lease, then the operator stops reconciling and reports the loss (main.ts exits)', async () => {
    let losses = 0;
    const replica = await startOperator({
      leaseName: 'lost-lease',
      identity: 'loser',
      namespaces: ['lease'],
      onLostLeadership: () => {
        losses++;
      },
    });
    try {
      await eventually(() => Promise.resolve(replica.isLeader()), Boolean, 'loser to lead');

      // Another holder with a fresh renewTime: what a partition then a takeover looks like.
      const lease = await k.kube.coordination.readNamespacedLease({
        namespace: 'default',
        name: 'lost-lease',
      });
      await k.kube.coordination.replaceNamespacedLease({
        namespace: 'default',
        name: 'lost-lease',
        body: {
          ...lease,
          spec: {
            ...lease.spec,
            holderIdentity: 'thief',
            leaseDurationSeconds: 60,
            renewTime: new V1MicroTime(Date.now()),
          },
        },
      });
      await eventually(
        () => Promise.resolve(losses),
        (n) => n === 1,
        'the loss to be reported',
      );

      expect(replica.isLeader()).toBe(false);
    } finally {
      await replica.close();
    }
    // Stopping on purpose is not a loss.
    expect(losses).toBe(1);
  });

  it("when the Lease holder's clock lags (its renewTime looks an hour old), then the Lease is taken only after a whole lease duration of seeing no renewal", async () => {
    const hourAgo = new V1MicroTime(Date.now() - 3_600_000);
    await k.kube.coordination.createNamespacedLease({
      namespace: 'default',
      body: {
        metadata: { name: 'skewed-lease' },
        spec: {
          holderIdentity: 'lagging-clock',
          leaseDurationSeconds: 3,
          acquireTime: hourAgo,
          renewTime: hourAgo,
        },
      },
    });
    const started = Date.now();
    const candidate = await startOperator({
      leaseName: 'skewed-lease',
      identity: 'candidate',
      namespaces: ['lease'],
    });
    try {
      await eventually(() => Promise.resolve(candidate.isLeader()), Boolean, 'candidate to lead');

      // Judged by when this replica saw the record change, not by the holder's clock.
      expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
    } finally {
      await candidate.close();
    }
  });

  it('when an operator died after issuing a key but before writing its Secret, then the next one reissues it once', async () => {
    // No operator watches this namespace yet: play the dead one's part through the API. It had
    // written the external-ref annotation (always the first write) before ensuring the merchant.
    const spec = merchantSpec('crashed', [
      { name: 'server', mode: 'test', secretName: 'crashed-test' },
    ]);
    const externalRef = 'crashed/crashed/0123456789ab';
    await k.createMerchant('crashed', {
      ...spec,
      metadata: { ...spec.metadata, annotations: { 'expe.dev/external-ref': externalRef } },
    });
    const call = merchantsInternal(urls.merchants);
    const merchantRow = await call<{ id: string }>('POST', '/internal/merchants', {
      external_ref: externalRef,
      name: 'crashed shop',
      email: 'crashed@example.com',
    });
    const project = await call<{ id: string }>(
      'POST',
      `/internal/merchants/${merchantRow.body.id}/projects/ensure`,
      { name: 'storefront' },
    );
    const orphan = await call<{ id: string; secret: string }>(
      'POST',
      `/internal/merchants/${merchantRow.body.id}/projects/${project.body.id}/api_keys/ensure`,
      { name: 'server', mode: 'test' },
    );

    const recovering = await startOperator({
      leaseName: 'crashed-test',
      identity: 'crashed-b',
      namespaces: ['crashed'],
    });
    try {
      const merchant = await readyMerchant('crashed', 'crashed');
      const secret = await k.secret('crashed', 'crashed-test');

      expect(merchant.status?.merchantId).toBe(merchantRow.body.id);
      expect(secretValue(secret, 'keyId')).not.toBe(orphan.body.id);
      expect((await account(orphan.body.secret)).status).toBe(401);
      expect((await account(secretValue(secret, 'secretKey'))).status).toBe(200);
      expect(await activeKeys(merchantRow.body.id)).toBe(1);
    } finally {
      await recovering.close();
    }
  }, 60_000);

  it('when the operator stops half-way and another starts, then it converges without duplicate keys', async () => {
    const keys = Array.from({ length: 6 }, (_, i) => ({
      name: `key-${i}`,
      mode: 'test' as const,
      secretName: `restart-${i}`,
    }));
    const start = (identity: string) =>
      startOperator({
        leaseName: 'restart-test',
        identity,
        namespaces: ['restart'],
      });
    const first = await start('restart-a');
    await k.createMerchant('restart', merchantSpec('restarted', keys));
    await eventually(
      () => k.secret('restart', 'restart-0'),
      (s) => s !== undefined,
      'the first Secret',
    );
    await first.close();

    const second = await start('restart-b');
    try {
      const merchant = await readyMerchant('restart', 'restarted');
      const secrets = await Promise.all(keys.map((key) => k.secret('restart', key.secretName)));

      expect(await activeKeys(merchant.status?.merchantId)).toBe(keys.length);
      expect(
        await countRows(
          platform.databaseUrl,
          'merchants.merchants',
          `id = '${merchant.status?.merchantId}'`,
        ),
      ).toBe(1);
      for (const secret of secrets) {
        expect((await account(secretValue(secret, 'secretKey'))).status).toBe(200);
      }
    } finally {
      await second.close();
    }
  }, 60_000);
});
