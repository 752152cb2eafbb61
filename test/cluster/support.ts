import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { chartsDirectory, connectCluster, run, type Cluster } from '@expe/kube-harness';

export const namespace = 'expe-sandbox';
// The release name of the issue's trap: it contains a subchart's name (payments).
export const release = 'payments-sandbox';
export const operatorRelease = 'expe-operator';
export const valuesFile = fileURLToPath(new URL('values.yaml', import.meta.url));
export const operatorValuesFile = fileURLToPath(new URL('operator-values.yaml', import.meta.url));

let connected: Promise<Cluster> | undefined;
export function cluster(): Promise<Cluster> {
  connected ??= connectCluster();
  return connected;
}

/** Polls `check` until it returns a value other than undefined/false; the last error explains a timeout. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 120_000,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ''}`,
      );
    }
    await sleep(intervalMs);
  }
}

export async function kubectlJson<T = any>(args: readonly string[]): Promise<T> {
  const { stdout } = await (await cluster()).kubectl([...args, '-o', 'json']);
  return JSON.parse(stdout) as T;
}

/**
 * The charts with their file:// dependencies vendored, in a temporary copy: the working tree's
 * charts/ stays untouched (charts/update-dependencies.sh, offline).
 */
export async function preparedCharts(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'expe-charts-'));
  await cp(chartsDirectory, dir, { recursive: true });
  const { binaries, env } = await cluster();
  await run('sh', [join(dir, 'update-dependencies.sh')], { env: { ...env, HELM: binaries.helm } });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** `http://<ClusterIP>:<port>` of a Service: the host reaches the Service network through the veth. */
export async function serviceUrl(name: string, port?: number): Promise<string> {
  const service = await kubectlJson(['-n', namespace, 'get', 'service', name]);
  const servicePort = port ?? service.spec.ports[0].port;
  return `http://${service.spec.clusterIP}:${servicePort}`;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small JSON client for the gateway (the walk-through of the README, as curl does it). */
export function apiClient(baseUrl: string) {
  return async function api<T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const response = await fetch(`${baseUrl}/v1${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: keep the text for the assertion message.
    }
    return { status: response.status, body: body as T, headers: response.headers };
  };
}

export async function deploymentsAvailable(): Promise<{ name: string; ready: boolean }[]> {
  const list = await kubectlJson(['-n', namespace, 'get', 'deployments']);
  return list.items.map((deployment: any) => ({
    name: deployment.metadata.name,
    ready:
      deployment.status.observedGeneration >= deployment.metadata.generation &&
      (deployment.status.updatedReplicas ?? 0) === deployment.spec.replicas &&
      (deployment.status.availableReplicas ?? 0) === deployment.spec.replicas &&
      (deployment.status.replicas ?? 0) === deployment.spec.replicas,
  }));
}

export async function decodedSecret(name: string): Promise<Record<string, string>> {
  const secret = await kubectlJson(['-n', namespace, 'get', 'secret', name]);
  return Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([key, value]) => [
      key,
      Buffer.from(String(value), 'base64').toString('utf8'),
    ]),
  );
}

/** Waits for the Ready condition of a custom resource; a timeout reports its conditions. */
export async function waitForReady(resource: string, timeoutMs = 180_000): Promise<any> {
  let last: any;
  try {
    return await waitFor(
      `${resource} Ready`,
      async () => {
        last = await kubectlJson(['-n', namespace, 'get', resource]);
        const ready = (last.status?.conditions ?? []).find(
          (condition: any) => condition.type === 'Ready',
        );
        return ready?.status === 'True' ? last : undefined;
      },
      timeoutMs,
    );
  } catch (error) {
    throw new Error(
      `${(error as Error).message}; conditions: ${JSON.stringify(last?.status?.conditions)}`,
    );
  }
}

/**
 * A webhook receiver Pod and its Service (`webhook-receiver:8080`): it records every request
 * (path, headers, raw body), answers 500 on /fail and 200 elsewhere, and lists what it got on
 * GET /deliveries.
 */
export function webhookReceiverManifests(tag: string): string {
  const script = `
const http = require('node:http');
const deliveries = [];
http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/deliveries') {
    res.setHeader('content-type', 'application/json');
    return res.end(JSON.stringify(deliveries));
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    deliveries.push({
      path: req.url,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    res.statusCode = req.url === '/fail' ? 500 : 200;
    res.end();
  });
}).listen(8080);
`;
  const labels = { app: 'webhook-receiver' };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'webhook-receiver', labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 1000,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'receiver',
                image: `expe-app:${tag}`,
                imagePullPolicy: 'Never',
                command: ['node', '-e', script],
                ports: [{ name: 'http', containerPort: 8080 }],
                readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 2 },
                resources: {
                  requests: { cpu: '10m', memory: '32Mi' },
                  limits: { memory: '128Mi' },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'webhook-receiver', labels },
      spec: { selector: labels, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] },
    },
  ]
    .map((object) => stringify(object))
    .join('---\n');
}

/** `psql -Atc <sql>` in a release's PostgreSQL Pod as the chart's user; the output, trimmed. */
export function psqlIn(ns: string, releaseName: string): (sql: string) => Promise<string> {
  return async (sql) => {
    const { kubectl } = await cluster();
    const { stdout } = await kubectl([
      '-n',
      ns,
      'exec',
      `${releaseName}-postgresql-0`,
      '--',
      'psql',
      '-U',
      'expe',
      '-d',
      'expe',
      '-Atc',
      sql,
    ]);
    return stdout.trim();
  };
}

interface InstallOptions {
  charts: { dir: string };
  images: { appTag: string; postgresImage: string; redisImage: string };
  namespace: string;
  release: string;
  /** More helm arguments (`--values`, `--set`, `--create-namespace`). */
  args?: readonly string[];
}

/**
 * `helm install` of the platform chart as the namespace tests need it: the test values, the
 * images imported into the node, one gateway and one payments replica; waits until it is up.
 */
export async function installPlatform(options: InstallOptions): Promise<void> {
  const { helm } = await cluster();
  await helm([
    'install',
    options.release,
    `${options.charts.dir}/expe`,
    '--namespace',
    options.namespace,
    '--set',
    `global.image.tag=${options.images.appTag}`,
    '--values',
    valuesFile,
    '--set',
    `postgresql.image=${options.images.postgresImage}`,
    '--set',
    `redis.image=${options.images.redisImage}`,
    '--set',
    'gateway.replicaCount=1',
    '--set',
    'payments.replicaCount=1',
    ...(options.args ?? []),
    '--wait',
    '--timeout',
    '15m',
  ]);
}

/** `helm install` of the operator chart against a platform release; waits until it is up. */
export async function installOperator(
  options: InstallOptions & { platformRelease: string },
): Promise<void> {
  const { helm } = await cluster();
  await helm([
    'install',
    options.release,
    `${options.charts.dir}/expe-operator`,
    '--namespace',
    options.namespace,
    '--set',
    `global.image.tag=${options.images.appTag}`,
    '--values',
    operatorValuesFile,
    '--set',
    `platform.releaseName=${options.platformRelease}`,
    ...(options.args ?? []),
    '--wait',
    '--timeout',
    '10m',
  ]);
}

/** `kubectl apply` of one resource, written as an object, in `ns`. */
export async function applyResource(ns: string, resource: object): Promise<void> {
  const { kubectl } = await cluster();
  await kubectl(['apply', '-n', ns, '-f', '-'], { input: stringify(resource) });
}

/** The WebhookEndpoint `acme-orders` of the sample Merchant's test key, delivering to `url`. */
export function acmeOrdersEndpoint(url: string): object {
  return {
    apiVersion: 'expe.dev/v1alpha1',
    kind: 'WebhookEndpoint',
    metadata: { name: 'acme-orders' },
    spec: {
      merchantRef: { name: 'acme' },
      project: 'storefront',
      mode: 'test',
      url,
      enabledEvents: ['payment.succeeded'],
      signingSecretRef: { name: 'acme-orders-webhook' },
    },
  };
}

/**
 * The sample Merchant `acme` and a WebhookEndpoint `acme-orders` in `ns`, both Ready. The
 * endpoint's URL is the platform's webhooks Service itself: a name the cluster resolves, where
 * nothing is delivered.
 */
export async function applySampleMerchantAndEndpoint(
  ns: string,
  platform: { namespace: string; release: string },
): Promise<void> {
  const { kubectl } = await cluster();
  await kubectl(['apply', '-n', ns, '-f', 'k8s/samples/merchant.yaml']);
  await applyResource(
    ns,
    acmeOrdersEndpoint(
      `http://${platform.release}-webhooks.${platform.namespace}.svc.cluster.local:4004/hooks`,
    ),
  );
  await kubectl([
    '-n',
    ns,
    'wait',
    '--for=condition=Ready',
    'webhookendpoint/acme-orders',
    'merchant/acme',
    '--timeout=180s',
  ]);
}

/**
 * After a failed run: the Merchants and WebhookEndpoints left in `ns` lose their finalizers (no
 * operator may be left to release them), so the namespace can go and never blocks the next run.
 */
export async function releaseLeftoverFinalizers(ns: string): Promise<void> {
  const { kubectl } = await cluster();
  const left = await kubectl(['get', 'namespace', ns], { allowFailure: true });
  if (left.exitCode !== 0) return;
  for (const kind of ['merchants', 'webhookendpoints']) {
    const { stdout } = await kubectl(['-n', ns, 'get', kind, '-o', 'name'], {
      allowFailure: true,
    });
    for (const name of stdout.split('\n').filter(Boolean)) {
      await kubectl(
        ['-n', ns, 'patch', name, '--type', 'merge', '-p', '{"metadata":{"finalizers":null}}'],
        { allowFailure: true },
      );
    }
  }
}
