import { createHmac, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  acmeOrdersEndpoint,
  apiClient,
  applyResource,
  cluster,
  decodedSecret,
  deploymentsAvailable,
  installOperator,
  kubectlJson,
  namespace,
  operatorRelease,
  preparedCharts,
  psqlIn,
  release,
  serviceUrl,
  valuesFile,
  waitFor,
  waitForReady,
  webhookReceiverManifests,
} from './support.js';

/**
 * The platform as a platform team installs it: `helm install` of the umbrella chart and the
 * operator chart on a real node, every request through the gateway's Service, Pods reached by
 * their Service names through CoreDNS. The tests run in order and share one release.
 */
const images = inject('clusterImages');
let charts: Awaited<ReturnType<typeof preparedCharts>>;
let api: ReturnType<typeof apiClient>;

/** The release namespace's Pods with the label `selector`, as `kubectl get -o json` lists them. */
const podsLabelled = (selector: string) =>
  kubectlJson(['-n', namespace, 'get', 'pods', '-l', selector]);

const helmArgs = (tag: string) => [
  '--namespace',
  namespace,
  '--values',
  valuesFile,
  '--set',
  `global.image.tag=${tag}`,
  '--set',
  `postgresql.image=${images.postgresImage}`,
  '--set',
  `redis.image=${images.redisImage}`,
];

beforeAll(async () => {
  charts = await preparedCharts();
});

afterAll(async () => {
  await charts?.remove();
});

describe('the platform on a one-node cluster', () => {
  it('when both charts are installed with helm, then every Deployment becomes available', async () => {
    const { helm } = await cluster();

    await helm([
      'install',
      release,
      `${charts.dir}/expe`,
      '--create-namespace',
      ...helmArgs(images.appTag),
      '--wait',
      '--timeout',
      '15m',
    ]);
    await installOperator({
      charts,
      images,
      namespace,
      release: operatorRelease,
      platformRelease: release,
    });

    const deployments = await deploymentsAvailable();
    expect(deployments.map((deployment) => deployment.name).sort()).toEqual(
      [
        `${release}-auth`,
        `${release}-gateway`,
        `${release}-merchants`,
        `${release}-payments`,
        `${release}-redis`,
        `${release}-webhooks`,
        operatorRelease,
      ].sort(),
    );
    expect(deployments.filter((deployment) => !deployment.ready)).toEqual([]);
    // Nothing is ever pulled: every image is imported into the node.
    const pods = await kubectlJson(['-n', namespace, 'get', 'pods']);
    const containers = pods.items.flatMap((pod: any) => pod.spec.containers);
    expect(containers.length).toBeGreaterThanOrEqual(10);
    for (const container of containers) {
      expect(container.imagePullPolicy, container.name).toBe('Never');
    }
    api = apiClient(await serviceUrl(`${release}-gateway`));
  });

  it('when every service has started, then each schema was migrated exactly once', async () => {
    const histories = (
      await psql(
        "select table_name from information_schema.tables where table_schema = 'expe_migrations' order by 1",
      )
    )
      .split('\n')
      .filter(Boolean);
    expect(histories).toEqual(['auth', 'merchants', 'payments', 'webhooks']);
    for (const schema of histories) {
      const counts = await psql(
        `select count(*) = count(distinct hash) and count(*) > 0 from expe_migrations."${schema}"`,
      );
      expect(counts, `migration history of ${schema}`).toBe('t');
    }
  });

  let merchantSecret = '';

  it('when a merchant follows the README walk-through through the gateway Service, then the payment, the refund and the balance add up', async () => {
    const email = `asha-${randomUUID()}@example.com`;
    const registered = await api('POST', '/auth/register', {
      body: { email, password: 'correct horse battery', name: 'Asha Stores', role: 'merchant' },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const login = await api('POST', '/auth/login', {
      body: { email, password: 'correct horse battery' },
    });
    expect(login.status).toBe(200);
    const token = login.body.access_token as string;
    const project = await api('POST', '/projects', { token, body: { name: 'Web shop' } });
    expect(project.status).toBe(201);
    const key = await api('POST', `/projects/${project.body.id}/api_keys`, {
      token,
      body: { name: 'backend', mode: 'test' },
    });
    expect(key.status).toBe(201);
    merchantSecret = key.body.secret;
    const account = await api('GET', '/account', { token: merchantSecret });
    expect(account.body).toMatchObject({
      object: 'account',
      project_id: project.body.id,
      mode: 'test',
    });

    const payment = await api('POST', '/payments', {
      token: merchantSecret,
      headers: { 'Idempotency-Key': randomUUID() },
      body: { amount: 49900, currency: 'inr', description: 'Masala chai' },
    });
    expect(payment.status).toBe(201);
    const confirmed = await api('POST', `/payments/${payment.body.id}/confirm`, {
      body: {
        client_secret: payment.body.client_secret,
        method: 'card',
        card: { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' },
      },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('succeeded');
    const refund = await api('POST', '/refunds', {
      token: merchantSecret,
      headers: { 'Idempotency-Key': randomUUID() },
      body: { payment: payment.body.id, amount: 9900 },
    });
    expect(refund.status).toBe(201);
    expect(refund.body.status).toBe('succeeded');

    const balance = await api('GET', '/balance', { token: merchantSecret });
    expect(balance.status).toBe(200);
    expect(balance.body).toMatchObject({
      object: 'balance',
      livemode: false,
      // Pending for 2 days, net of the sandbox fee (1 298) less the refund (9 900 − its 258 fee share).
      available: [{ amount: 0, currency: 'inr' }],
      pending: [{ amount: 49900 - 1298 - (9900 - 258), currency: 'inr' }],
    });
  });

  it('when a Merchant resource is applied, then the operator writes a Secret whose key calls GET /v1/account', async () => {
    await applyResource(namespace, {
      apiVersion: 'expe.dev/v1alpha1',
      kind: 'Merchant',
      metadata: { name: 'acme' },
      spec: {
        displayName: 'Acme Books',
        email: 'payments@acme.example',
        projects: [
          {
            name: 'storefront',
            apiKeys: [{ name: 'backend-test', mode: 'test', secretName: 'acme-storefront-test' }],
          },
        ],
      },
    });
    await waitForReady('merchant/acme');

    const secret = await waitFor('the Secret acme-storefront-test', () =>
      decodedSecret('acme-storefront-test'),
    );
    expect(secret.secretKey).toMatch(/^sk_test_/);
    const account = await api('GET', '/account', { token: secret.secretKey });
    expect(account.status).toBe(200);
    const merchant = await kubectlJson(['-n', namespace, 'get', 'merchant', 'acme']);
    expect(account.body.merchant_id).toBe(merchant.status.merchantId);
  });

  it('when a WebhookEndpoint points at a receiver Pod, then a payment event arrives there signed with its secret', async () => {
    const { kubectl } = await cluster();
    await kubectl(['apply', '-n', namespace, '-f', '-'], {
      input: webhookReceiverManifests(images.appTag),
    });
    await kubectl([
      '-n',
      namespace,
      'rollout',
      'status',
      'deployment/webhook-receiver',
      '--timeout=180s',
    ]);
    await applyResource(
      namespace,
      acmeOrdersEndpoint(`http://webhook-receiver.${namespace}.svc.cluster.local:8080/hooks`),
    );
    await waitForReady('webhookendpoint/acme-orders', 120_000);
    const signing = await waitFor('the signing Secret', () => decodedSecret('acme-orders-webhook'));
    const key = (await decodedSecret('acme-storefront-test')).secretKey!;

    const payment = await api('POST', '/payments', {
      token: key,
      headers: { 'Idempotency-Key': randomUUID() },
      body: { amount: 1500, currency: 'inr' },
    });
    await api('POST', `/payments/${payment.body.id}/confirm`, {
      body: {
        client_secret: payment.body.client_secret,
        method: 'card',
        card: { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' },
      },
    });

    const receiver = await serviceUrl('webhook-receiver', 8080);
    const delivery = await waitFor(
      'the signed delivery of payment.succeeded',
      async () => {
        const deliveries = (await (await fetch(`${receiver}/deliveries`)).json()) as Delivery[];
        return deliveries.find((candidate) => candidate.body.includes(payment.body.id));
      },
      120_000,
    );
    const event = JSON.parse(delivery.body);
    expect(event.type).toBe('payment.succeeded');
    expect(event.data.object.id).toBe(payment.body.id);
    const header = delivery.headers['expe-signature'] ?? '';
    const timestamp = /t=(\d+)/.exec(header)?.[1];
    const signatures = [...header.matchAll(/v1=([0-9a-f]+)/g)].map((match) => match[1]);
    const expected = createHmac('sha256', signing.signingSecret!)
      .update(`${timestamp}.${delivery.body}`)
      .digest('hex');
    expect(signatures).toContain(expected);
  });

  it('when helm upgrade rolls every Deployment to a new image tag under a steady trickle of transfers, then no request fails', async () => {
    const { ctr, helm } = await cluster();
    const wallets = await walletPair();
    const nextTag = `${images.appTag}-next`;
    for (const name of ['gateway', 'auth', 'merchants', 'payments', 'webhooks', 'operator']) {
      await ctr([
        'images',
        'tag',
        '--force',
        `docker.io/library/expe-${name}:${images.appTag}`,
        `docker.io/library/expe-${name}:${nextTag}`,
      ]);
    }

    const load = trickle(wallets);
    await helm([
      'upgrade',
      release,
      `${charts.dir}/expe`,
      ...helmArgs(nextTag),
      '--wait',
      '--timeout',
      '15m',
    ]);
    await waitFor('every Deployment rolled out', async () => {
      const deployments = await deploymentsAvailable();
      return deployments.every((deployment) => deployment.ready);
    });
    await load.continueFor(20);
    const results = await load.stop();

    const pods = await podsLabelled(`app.kubernetes.io/instance=${release}`);
    const serviceImages = pods.items
      .filter(
        (pod: any) =>
          pod.metadata.labels['app.kubernetes.io/part-of'] === 'expe' &&
          !pod.metadata.deletionTimestamp,
      )
      .flatMap((pod: any) => pod.spec.containers.map((container: any) => container.image))
      .filter((image: string) => image.startsWith('expe-'));
    expect(serviceImages.length).toBeGreaterThan(0);
    expect(serviceImages.every((image: string) => image.endsWith(`:${nextTag}`))).toBe(true);
    expect(results.completed.length).toBeGreaterThan(20);
    expect(results.failed).toEqual([]);
    // Retried POSTs acted once: the balances count each transfer exactly once.
    await expectWalletsBalanced(wallets, results.completed.length);
    // Zero downtime: not one request needed a retry.
    expect(results.retried).toEqual([]);
  });

  it('when a payments Pod is deleted during transfers, then no money or event is lost and the ledger reconciles', async () => {
    const { kubectl } = await cluster();
    const wallets = await walletPair();
    const load = trickle(wallets);
    await load.continueFor(10);
    const pods = await podsLabelled('app.kubernetes.io/name=payments');
    const victim = pods.items.find((pod: any) => !pod.metadata.deletionTimestamp).metadata.name;
    await kubectl(['-n', namespace, 'delete', 'pod', victim, '--wait=false']);
    await waitFor('payments available again', async () => {
      const deployments = await deploymentsAvailable();
      return deployments.every((deployment) => deployment.ready);
    });
    await load.continueFor(20);
    const results = await load.stop();
    // A request cut off with the Pod may or may not have happened: the same Idempotency-Key
    // settles it, as a merchant's retry would.
    const settled = await load.settleFailed();
    const completed = [...results.completed, ...settled];
    expect(completed.length).toBe(results.completed.length + results.failed.length);

    await expectWalletsBalanced(wallets, completed.length);
    const ids = completed.map((transfer) => `'${transfer.id}'`).join(',');
    const events = await psql(
      `select count(distinct object_id) from payments.events where type = 'transfer.completed' and object_id in (${ids})`,
    );
    expect(Number(events)).toBe(completed.length);
    await waitFor(
      'every event relayed',
      async () =>
        (await psql('select count(*) from payments.events where relayed_at is null')) === '0',
    );
    const report = await api('GET', '/admin/reconciliation', { token: await adminToken() });
    expect(report.status).toBe(200);
    expect(report.body.ok, JSON.stringify(report.body)).toBe(true);
  });

  it('when the WebhookEndpoint and then the Merchant are deleted, then the key is revoked and the Secrets are gone', async () => {
    const { kubectl } = await cluster();
    const key = (await decodedSecret('acme-storefront-test')).secretKey!;
    await kubectl(['-n', namespace, 'delete', 'webhookendpoint', 'acme-orders', '--timeout=180s']);
    await kubectl(['-n', namespace, 'delete', 'merchant', 'acme', '--timeout=180s']);

    await waitFor('the Secrets to go', async () => {
      const secrets = await kubectlJson(['-n', namespace, 'get', 'secrets']);
      const names = secrets.items.map((secret: any) => secret.metadata.name);
      return !names.includes('acme-storefront-test') && !names.includes('acme-orders-webhook');
    });
    const account = await api('GET', '/account', { token: key });
    expect(account.status).toBe(401);
  });

  it('when both releases are uninstalled, then nothing of them is left in the cluster', async () => {
    const { helm, kubectl } = await cluster();
    await kubectl([
      '-n',
      namespace,
      'delete',
      'deployment,service',
      '-l',
      'app=webhook-receiver',
      '--wait',
    ]);
    await helm([
      'uninstall',
      operatorRelease,
      '--namespace',
      namespace,
      '--wait',
      '--timeout',
      '5m',
    ]);
    await helm(['uninstall', release, '--namespace', namespace, '--wait', '--timeout', '5m']);
    const { stdout } = await kubectl([
      'api-resources',
      '--verbs=list',
      '--namespaced',
      '-o',
      'name',
    ]);
    const kinds = stdout.split('\n').filter((kind) => kind && !kind.startsWith('events'));
    const leftovers = async (): Promise<string[]> => {
      const left = await kubectlJson(['-n', namespace, 'get', kinds.join(',')]);
      return (
        left.items
          .map((item: any) => `${item.kind}/${item.metadata.name}`)
          // What every namespace has.
          .filter(
            (name: string) =>
              !['ServiceAccount/default', 'ConfigMap/kube-root-ca.crt'].includes(name),
          )
      );
    };
    // Pods, the database's claim and the operator's Lease go through the garbage collector
    // after helm has returned.
    let left: string[] = [];
    await waitFor('the garbage collector', async () => {
      left = await leftovers();
      return left.length === 0;
    }).catch(() => {});
    expect(left).toEqual([]);
    for (const kind of ['clusterroles', 'clusterrolebindings']) {
      const cluster = await kubectlJson([
        'get',
        kind,
        '-l',
        `app.kubernetes.io/instance in (${release},${operatorRelease})`,
      ]);
      expect(cluster.items.map((item: any) => item.metadata.name)).toEqual([]);
    }
  });
});

interface Wallet {
  token: string;
  vpa: string;
}

const topUpAmount = 10_000_000;
const transferAmount = 100;

async function walletUser(name: string): Promise<Wallet> {
  const email = `${name}-${randomUUID()}@example.com`;
  const registered = await api('POST', '/auth/register', {
    body: { email, password: 'correct horse battery', name, role: 'user' },
  });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  return { token: registered.body.access_token, vpa: registered.body.user.vpa };
}

async function walletPair(): Promise<{ from: Wallet; to: Wallet }> {
  const from = await walletUser('payer');
  const to = await walletUser('payee');
  const topup = await api('POST', '/wallet/topup', {
    token: from.token,
    headers: { 'Idempotency-Key': randomUUID() },
    body: { amount: topUpAmount },
  });
  expect(topup.status, JSON.stringify(topup.body)).toBeLessThan(300);
  return { from, to };
}

async function expectWalletsBalanced(wallets: { from: Wallet; to: Wallet }, transfers: number) {
  const from = await api('GET', '/wallet', { token: wallets.from.token });
  const to = await api('GET', '/wallet', { token: wallets.to.token });
  expect(from.body.balance).toBe(topUpAmount - transfers * transferAmount);
  expect(to.body.balance).toBe(transfers * transferAmount);
}

interface Attempt {
  key: string;
  error: string;
}

/** Answers @expe/sdk retries with the same Idempotency-Key (a connection closed, 503, 409 in use). */
function isRetryable(response: { status: number; body: any } | undefined): boolean {
  if (!response) return true;
  if (response.status === 503) return true;
  return response.status === 409 && response.body?.error?.code === 'idempotency_key_in_use';
}

/**
 * One transfer after another (a backend's steady trickle over keep-alive connections), each
 * with its own Idempotency-Key, until stopped. What @expe/sdk would retry (no HTTP answer, 503,
 * 409 idempotency_key_in_use) is retried with the same key and recorded in `retried`; anything
 * else that is not 201 is `failed`.
 */
function trickle(wallets: { from: Wallet; to: Wallet }) {
  const completed: { id: string }[] = [];
  const failed: Attempt[] = [];
  const retried: Attempt[] = [];
  let running = true;
  const transfer = async (key: string) =>
    api('POST', '/wallet/transfers', {
      token: wallets.from.token,
      headers: { 'Idempotency-Key': key },
      body: { to: wallets.to.vpa, amount: transferAmount, note: 'cluster trickle' },
    });
  const explain = (error: unknown) => {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return `${String(error)} (${cause?.code ?? cause?.message ?? 'no cause'})`;
  };
  const loop = (async () => {
    while (running) {
      const key = randomUUID();
      for (let attempt = 1; ; attempt += 1) {
        let response: Awaited<ReturnType<typeof transfer>> | undefined;
        let outcome: string;
        try {
          response = await transfer(key);
          outcome = `${response.status} ${JSON.stringify(response.body)}`;
        } catch (error) {
          outcome = explain(error);
        }
        if (response?.status === 201) {
          completed.push({ id: response.body.id });
          break;
        }
        if (!isRetryable(response) || attempt === 10) {
          failed.push({ key, error: outcome });
          break;
        }
        retried.push({ key, error: outcome });
        await sleep(200 * attempt);
      }
      // A trickle, not a flood: one user at most 50 transfers a second, half the gateway's
      // per-user rate limit, however fast the platform answers (a 429 is not a rollout failure).
      await sleep(20);
    }
  })();
  return {
    /** Resolves once `count` more requests have been answered. */
    continueFor: (count: number) => {
      const target = completed.length + failed.length + count;
      return waitFor(
        `${count} more transfers`,
        () => Promise.resolve(completed.length + failed.length >= target),
        120_000,
        50,
      );
    },
    async stop() {
      running = false;
      await loop;
      return { completed, failed, retried };
    },
    /** Retries every failed attempt with its own key until it is answered 201. */
    async settleFailed() {
      const settled: { id: string }[] = [];
      for (const attempt of failed) {
        const response = await waitFor(`a definitive answer for ${attempt.key}`, async () => {
          const retry = await transfer(attempt.key);
          return retry.status === 201 ? retry : undefined;
        });
        settled.push({ id: response.body.id });
      }
      return settled;
    },
  };
}

const psql = psqlIn(namespace, release);

let admin: string | undefined;
/** The address test/cluster/values.yaml lists in ADMIN_EMAILS. */
async function adminToken(): Promise<string> {
  if (admin) return admin;
  const body = { email: 'admin@cluster.expe.test', password: 'correct horse battery' };
  const registered = await api('POST', '/auth/register', {
    body: { ...body, name: 'Cluster admin', role: 'user' },
  });
  const login = registered.status === 201 ? registered : await api('POST', '/auth/login', { body });
  admin = login.body.access_token as string;
  return admin;
}

interface Delivery {
  headers: Record<string, string>;
  body: string;
}
