import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  apiClient,
  cluster,
  kubectlJson,
  preparedCharts,
  psqlIn,
  valuesFile,
  waitFor,
  webhookReceiverManifests,
  type ApiResponse,
} from './support.js';

/**
 * The platform's observability, run for real (issue 24): the chart's observability values install
 * an OpenTelemetry Collector and a Prometheus (both built from Go modules by the harness) next
 * to the services. One card payment with a webhook endpoint must give one trace from the
 * gateway to the webhook delivery; after real flows every PromQL expression of every dashboard
 * panel and alert rule must answer; and an alert fires when its condition is made true.
 * Its own namespace and release; everything goes at the end.
 */
const images = inject('clusterImages');
const ns = 'expe-observability';
const release = 'obs';
const chartsRoot = join(import.meta.dirname, '..', '..', 'charts');
let charts: Awaited<ReturnType<typeof preparedCharts>>;
let api: ReturnType<typeof apiClient>;
let prometheus = '';
const psql = psqlIn(ns, release);

async function serviceBase(name: string, port?: number): Promise<string> {
  const service = await kubectlJson(['-n', ns, 'get', 'service', name]);
  return `http://${service.spec.clusterIP}:${port ?? service.spec.ports[0].port}`;
}

beforeAll(async () => {
  charts = await preparedCharts();
  const { helm, kubectl } = await cluster();
  await helm([
    'install',
    release,
    `${charts.dir}/expe`,
    '--namespace',
    ns,
    '--create-namespace',
    '--values',
    valuesFile,
    '--set',
    `global.image.tag=${images.appTag}`,
    '--set',
    `postgresql.image=${images.postgresImage}`,
    '--set',
    `redis.image=${images.redisImage}`,
    '--set',
    'gateway.replicaCount=1',
    '--set',
    'payments.replicaCount=1',
    // What docs/kubernetes.md ("Observability") tells a developer to set.
    '--set',
    'observability.collector.enabled=true',
    '--set',
    `observability.collector.image=${images.otelcolImage}`,
    '--set',
    'observability.prometheus.enabled=true',
    '--set',
    `observability.prometheus.image=${images.prometheusImage}`,
    '--set',
    `global.otel.endpoint=http://${release}-otel-collector:4318`,
    '--set-json',
    `global.networkPolicy.egress.extraRules=${JSON.stringify([
      {
        to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'otel-collector' } } }],
        ports: [{ port: 4318, protocol: 'TCP' }],
      },
    ])}`,
    // Short intervals, so a test sees rates and rule evaluations within seconds.
    '--set',
    'observability.prometheus.scrapeInterval=5s',
    '--set',
    'observability.prometheus.scrapeTimeout=4s',
    '--set',
    'observability.prometheus.evaluationInterval=5s',
    '--wait',
    '--timeout',
    '15m',
  ]);
  await kubectl(['apply', '-n', ns, '-f', '-'], { input: webhookReceiverManifests(images.appTag) });
  await kubectl(['-n', ns, 'rollout', 'status', 'deployment/webhook-receiver', '--timeout=180s']);
  api = apiClient(await serviceBase(`${release}-gateway`));
  prometheus = await serviceBase(`${release}-prometheus`);
}, 1_500_000);

afterAll(async () => {
  const { helm, kubectl } = await cluster();
  await helm(['uninstall', release, '--namespace', ns], { allowFailure: true });
  await kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFailure: true });
  await charts?.remove();
}, 600_000);

/** A merchant with a test key, and two endpoints on the receiver: one answers 200, one 500. */
async function merchantWithEndpoints() {
  const email = `obs-${randomUUID()}@example.com`;
  const registered = await api('POST', '/auth/register', {
    body: { email, password: 'correct horse battery', name: 'Obs Stores', role: 'merchant' },
  });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const token = registered.body.access_token as string;
  const project = await api('POST', '/projects', { token, body: { name: 'Traced shop' } });
  const key = await api('POST', `/projects/${project.body.id}/api_keys`, {
    token,
    body: { name: 'backend', mode: 'test' },
  });
  expect(key.status, JSON.stringify(key.body)).toBe(201);
  const secret = key.body.secret as string;
  for (const path of ['ok', 'fail']) {
    const endpoint = await api('POST', '/webhook_endpoints', {
      token: secret,
      headers: { 'Idempotency-Key': randomUUID() },
      body: {
        url: `http://webhook-receiver.${ns}.svc.cluster.local:8080/${path}`,
        enabled_events: ['payment.succeeded'],
      },
    });
    expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
  }
  return { secret };
}

async function cardPayment(secret: string, card: string, amount = 2500): Promise<ApiResponse> {
  const payment = await api('POST', '/payments', {
    token: secret,
    headers: { 'Idempotency-Key': randomUUID() },
    body: { amount, currency: 'inr', description: 'Traced chai' },
  });
  expect(payment.status, JSON.stringify(payment.body)).toBe(201);
  const confirmed = await api('POST', `/payments/${payment.body.id}/confirm`, {
    body: {
      client_secret: payment.body.client_secret,
      method: 'card',
      card: { number: card, exp_month: 12, exp_year: 2034, cvc: '123' },
    },
  });
  return { ...confirmed, body: { ...confirmed.body, id: payment.body.id } };
}

interface Delivery {
  path: string;
  body: string;
}

async function deliveryOf(paymentId: string): Promise<{ id: string }> {
  const receiver = await serviceBase('webhook-receiver', 8080);
  const delivery = await waitFor(
    `the delivery of ${paymentId} to /ok`,
    async () => {
      const deliveries = (await (await fetch(`${receiver}/deliveries`)).json()) as Delivery[];
      return deliveries.find(
        (candidate) => candidate.path === '/ok' && candidate.body.includes(paymentId),
      );
    },
    120_000,
  );
  return JSON.parse(delivery.body) as { id: string };
}

// OTLP JSON as the collector writes it (one ExportTraceServiceRequest per line).
interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string; boolValue?: boolean };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: OtlpAttribute[];
}
interface Span extends OtlpSpan {
  service: string;
  attrs: Record<string, string>;
}
const spanKinds = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

async function collectedSpans(): Promise<Span[]> {
  const { kubectl } = await cluster();
  const { stdout } = await kubectl(['-n', ns, 'logs', `deployment/${release}-otel-collector`]);
  const spans: Span[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{"resourceSpans"')) continue;
    const batch = JSON.parse(line) as {
      resourceSpans: {
        resource?: { attributes?: OtlpAttribute[] };
        scopeSpans: { spans: OtlpSpan[] }[];
      }[];
    };
    for (const resourceSpans of batch.resourceSpans) {
      const service =
        resourceSpans.resource?.attributes?.find((attribute) => attribute.key === 'service.name')
          ?.value.stringValue ?? '';
      for (const scope of resourceSpans.scopeSpans) {
        for (const span of scope.spans) {
          const attrs = Object.fromEntries(
            (span.attributes ?? []).map((attribute) => [
              attribute.key,
              String(
                attribute.value.stringValue ??
                  attribute.value.intValue ??
                  attribute.value.boolValue ??
                  '',
              ),
            ]),
          );
          spans.push({ ...span, service, attrs });
        }
      }
    }
  }
  return spans;
}

/** The spans of one trace as an indented tree (the note's span list); orphans: those whose parent is missing too. */
function treeOf(spans: Span[], orphans = false): string {
  const lines: string[] = [];
  const ids = new Set(spans.map((span) => span.spanId));
  const walk = (parent: string | undefined, depth: number) => {
    for (const span of spans.filter(
      (candidate) => (candidate.parentSpanId || undefined) === parent,
    )) {
      lines.push(`${'  '.repeat(depth)}${span.service} ${spanKinds[span.kind]} ${span.name}`);
      walk(span.spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  if (orphans) {
    for (const span of spans.filter((c) => c.parentSpanId && !ids.has(c.parentSpanId))) {
      lines.push(`(parent ${span.parentSpanId} missing)`);
      walk(span.parentSpanId, 1);
    }
  }
  return lines.join('\n');
}

async function promql(
  query: string,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const response = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data: { result: any[] };
  };
  if (body.status !== 'success') throw new Error(`${query}: ${body.error}`);
  return body.data.result;
}

async function prometheusApi<T = any>(path: string): Promise<T> {
  const body = (await (await fetch(`${prometheus}/api/v1/${path}`)).json()) as {
    status: string;
    data: T;
  };
  if (body.status !== 'success') throw new Error(`${path}: ${JSON.stringify(body)}`);
  return body.data;
}

describe('observability on a one-node cluster', () => {
  it('when a card payment with a webhook endpoint is made, then the collector holds one trace from the gateway to the webhook delivery', async () => {
    const { secret } = await merchantWithEndpoints();
    const confirmed = await cardPayment(secret, '4242424242424242');
    expect(confirmed.body.status).toBe('succeeded');
    const event = await deliveryOf(confirmed.body.id);

    // Each service exports its spans in batches (every 5 s): wait until the tree is whole, from
    // the fan-out of this event up to a root, and both endpoints' first attempts are in.
    let seen: Span[] = [];
    const trace = await waitFor(
      'the whole trace of the payment in the collector',
      async () => {
        const spans = await collectedSpans();
        const fanOut = spans.find((span) => span.attrs['expe.event_id'] === event.id);
        if (!fanOut) return undefined;
        seen = spans.filter((span) => span.traceId === fanOut.traceId);
        const ids = new Set(seen.map((span) => span.spanId));
        const outcomes = new Set(
          seen
            .filter((span) => span.name === 'webhook delivery attempt')
            .map((span) => span.attrs['expe.outcome']),
        );
        const isWhole = seen.every((span) => !span.parentSpanId || ids.has(span.parentSpanId));
        return isWhole && outcomes.has('succeeded') && outcomes.has('failed_attempt')
          ? seen
          : undefined;
      },
      90_000,
      2_000,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; spans so far:\n${treeOf(seen, true)}`);
    });
    process.stderr.write(`[observability] trace ${trace[0]!.traceId}:\n${treeOf(trace)}\n`);

    const byId = new Map(trace.map((span) => [span.spanId, span]));
    const parentOf = (span: Span) => (span.parentSpanId ? byId.get(span.parentSpanId) : undefined);
    // One tree: a single root (the gateway's server span), every other parent in the trace.
    const roots = trace.filter((span) => !span.parentSpanId);
    expect(roots.map((span) => `${span.service} ${spanKinds[span.kind]}`)).toEqual([
      'gateway server',
    ]);
    expect(trace.filter((span) => span.parentSpanId && !parentOf(span))).toEqual([]);
    expect(JSON.stringify(roots[0]!.attrs)).toContain(`/v1/payments/${confirmed.body.id}/confirm`);

    const of = (service: string, kind: string) =>
      trace.filter((span) => span.service === service && spanKinds[span.kind] === kind);
    expect(of('payments', 'server').length).toBeGreaterThanOrEqual(1);
    const sql = of('payments', 'client').filter(
      (span) => (span.attrs['db.system.name'] ?? span.attrs['db.system']) === 'postgresql',
    );
    expect(sql.length, 'the payments service’s SQL statements').toBeGreaterThanOrEqual(1);
    // The outbox relay's send span, a child of the transaction's trace, parent of the worker's.
    const [send] = of('payments', 'producer').filter(
      (span) => span.attrs['messaging.message.id'] === event.id,
    );
    expect(send?.name).toBe('send expe-events');
    const fanOut = of('webhooks', 'consumer').find(
      (span) => span.attrs['expe.event_id'] === event.id,
    );
    expect(fanOut?.name).toBe('webhook fan-out');
    expect(fanOut?.parentSpanId).toBe(send!.spanId);
    const attempts = of('webhooks', 'client').filter(
      (span) => span.name === 'webhook delivery attempt',
    );
    // Both endpoints' attempts (the failing one is retried), each a child of the fan-out.
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    for (const attempt of attempts) expect(attempt.parentSpanId).toBe(fanOut!.spanId);
  });

  it('when Prometheus runs, then it scrapes exactly the Pods the ServiceMonitors select', async () => {
    const { helm } = await cluster();
    const rendered = await helm([
      'template',
      release,
      `${charts.dir}/expe`,
      '--namespace',
      ns,
      '--values',
      valuesFile,
      '--set',
      'global.metrics.serviceMonitor.enabled=true',
    ]);
    const monitors = parseAllDocuments(rendered.stdout)
      .map((document) => document.toJSON())
      .filter((object) => object?.kind === 'ServiceMonitor');
    const expected: string[] = [];
    for (const monitor of monitors) {
      const services = (await kubectlJson(['-n', ns, 'get', 'services'])).items.filter(
        (service: any) =>
          Object.entries(monitor.spec.selector.matchLabels as Record<string, string>).every(
            ([key, value]) => service.metadata.labels?.[key] === value,
          ),
      );
      for (const service of services) {
        const slices = await kubectlJson([
          '-n',
          ns,
          'get',
          'endpointslices',
          '-l',
          `kubernetes.io/service-name=${service.metadata.name}`,
        ]);
        for (const endpoint of monitor.spec.endpoints) {
          for (const slice of slices.items) {
            if (!slice.ports?.some((port: any) => port.name === endpoint.port)) continue;
            for (const address of slice.endpoints ?? []) {
              expected.push(`${service.metadata.name} ${address.targetRef.name} ${endpoint.path}`);
            }
          }
        }
      }
    }
    expect(monitors.length).toBe(5);

    const targets = await waitFor(
      'every target up',
      async () => {
        const data = await prometheusApi<{ activeTargets: any[] }>('targets?state=active');
        const up = data.activeTargets.filter((target) => target.health === 'up');
        return up.length === data.activeTargets.length && up.length === expected.length
          ? data.activeTargets
          : undefined;
      },
      120_000,
      2_000,
    );
    expect(
      targets
        .map(
          (target) =>
            `${target.labels.service} ${target.labels.pod} ${new URL(target.scrapeUrl).pathname}`,
        )
        .sort(),
    ).toEqual(expected.sort());
  });

  it('after real flows, every PromQL expression of every dashboard panel and alert rule answers, or is listed as empty with the reason', async () => {
    const { secret } = await merchantWithEndpoints();
    // Payments: one succeeded (and refunded), one declined; a wallet transfer; a reconciliation.
    const paid = await cardPayment(secret, '4242424242424242', 4900);
    expect(paid.body.status).toBe('succeeded');
    const declined = await cardPayment(secret, '4000000000000002');
    expect(declined.status).toBe(402);
    const refund = await api('POST', '/refunds', {
      token: secret,
      headers: { 'Idempotency-Key': randomUUID() },
      body: { payment: paid.body.id, amount: 900 },
    });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    await walletTransfer();
    const report = await api('GET', '/admin/reconciliation', { token: await adminToken() });
    expect(report.body.ok, JSON.stringify(report.body)).toBe(true);
    // A 4xx (no key).
    expect((await api('GET', '/balance')).status).toBe(401);
    await deliveryOf(paid.body.id);
    // A 5xx: the webhooks service is down while the gateway routes to it.
    const webhooksDown = await serviceDown('webhooks', async () => {
      const answer = await api('GET', '/webhook_endpoints', { token: secret });
      expect(answer.status, JSON.stringify(answer.body)).toBeGreaterThanOrEqual(500);
    });

    const namespaceVariable = (expr: string) => expr.replaceAll('$namespace', ns);
    const answers: { source: string; title: string; expr: string; series: number }[] = [];
    const dashboards = join(chartsRoot, 'expe', 'dashboards');
    for (const file of (await readdir(dashboards)).filter((name) => name.endsWith('.json'))) {
      const dashboard = JSON.parse(await readFile(join(dashboards, file), 'utf8'));
      for (const variable of dashboard.templating?.list ?? []) {
        const match = /^label_values\((\w+), (\w+)\)$/.exec(variable.query?.query ?? '');
        if (!match) continue;
        const values = await prometheusApi<string[]>(
          `label/${match[2]}/values?match[]=${encodeURIComponent(match[1]!)}`,
        );
        expect(values, `${file} variable ${variable.name}`).toContain(ns);
      }
      for (const panel of dashboard.panels ?? []) {
        for (const target of panel.targets ?? []) {
          const expr = namespaceVariable(target.expr);
          answers.push({ source: file, title: panel.title, expr, series: 0 });
        }
      }
    }
    const rules = await prometheusApi<{ groups: { rules: any[] }[] }>('rules?type=alert');
    const alertRules = rules.groups.flatMap((group) => group.rules);
    expect(alertRules.length).toBeGreaterThanOrEqual(10);
    for (const rule of alertRules) {
      // An alert's expression is empty while it does not fire; what must answer is each series
      // it compares (its selectors), over the range the rule reads them: a counter a restarted
      // Pod has not incremented yet is absent at this instant but still in rate(...[15m]).
      const selectors = [
        ...new Set(
          [...(rule.query as string).matchAll(/([a-zA-Z_:][\w:]*\{[^}]*\})(\[\w+\])?/g)].map(
            ([, selector, range]) => (range ? `last_over_time(${selector}${range})` : selector!),
          ),
        ),
      ];
      for (const selector of selectors) {
        answers.push({ source: `alert ${rule.name}`, title: selector, expr: selector, series: 0 });
      }
    }

    // Rates need two scrapes after the flows; a panel still empty after that is a finding.
    await waitFor(
      'the flows in every rate',
      async () => {
        for (const answer of answers) answer.series = (await promql(answer.expr)).length;
        return answers.every(
          (answer) => answer.series > 0 || quietPanels[answer.title] !== undefined,
        );
      },
      90_000,
      5_000,
    ).catch(() => undefined);
    process.stderr.write(
      `[observability] webhooks down for ${webhooksDown} s\n${answers
        .map(
          (answer) =>
            `[observability] ${answer.series > 0 ? `${answer.series} series` : `EMPTY (${quietPanels[answer.title] ?? 'no reason listed'})`} | ${answer.source} | ${answer.title}`,
        )
        .join('\n')}\n`,
    );
    expect(
      answers
        .filter((answer) => answer.series === 0 && quietPanels[answer.title] === undefined)
        .map((answer) => `${answer.source} | ${answer.title} | ${answer.expr}`),
    ).toEqual([]);
    // A listed panel that answers after all is no longer legitimately empty: drop it from the list.
    expect(
      answers
        .filter((answer) => answer.series > 0 && quietPanels[answer.title] !== undefined)
        .map((answer) => answer.title),
    ).toEqual([]);
  });

  it('when the ledger no longer matches its entries, then ExpeLedgerReconciliationMismatch fires, and resolves once it matches again', async () => {
    const account = (
      await psql(
        "select id from payments.accounts where type in ('wallet', 'merchant') order by balance desc limit 1",
      )
    ).trim();
    expect(account).not.toBe('');
    await psql(`update payments.accounts set balance = balance + 1 where id = '${account}'`);
    try {
      const report = await api('GET', '/admin/reconciliation', { token: await adminToken() });
      expect(report.body.ok).toBe(false);
      const alert = await waitFor(
        'ExpeLedgerReconciliationMismatch firing',
        async () => {
          const { alerts } = await prometheusApi<{ alerts: any[] }>('alerts');
          return alerts.find(
            (candidate) =>
              candidate.labels.alertname === 'ExpeLedgerReconciliationMismatch' &&
              candidate.state === 'firing',
          );
        },
        60_000,
        1_000,
      );
      expect(alert.labels.severity).toBe('critical');
      expect(Number(alert.value)).toBeGreaterThanOrEqual(1);
    } finally {
      await psql(`update payments.accounts set balance = balance - 1 where id = '${account}'`);
    }
    const report = await api('GET', '/admin/reconciliation', { token: await adminToken() });
    expect(report.body.ok).toBe(true);
    await waitFor(
      'ExpeLedgerReconciliationMismatch resolved',
      async () => {
        const { alerts } = await prometheusApi<{ alerts: any[] }>('alerts');
        return !alerts.some(
          (candidate) => candidate.labels.alertname === 'ExpeLedgerReconciliationMismatch',
        );
      },
      60_000,
      1_000,
    );
  });
});

/**
 * The panels that are legitimately empty on this cluster, by title, and why. Anything else must
 * answer after the flows above.
 */
const quietPanels: Record<string, string> = {
  'CPU by pod':
    'container_* series come from the kubelet’s cAdvisor, which kube-prometheus-stack scrapes; this Prometheus scrapes only the services',
  'Memory by pod':
    'container_* series come from the kubelet’s cAdvisor, which kube-prometheus-stack scrapes; this Prometheus scrapes only the services',
  'Container restarts (1h)':
    'kube_pod_container_status_restarts_total comes from kube-state-metrics, which is not installed here',
};

/** Scales a service's Deployment to 0, runs `whileDown`, scales it back; returns the seconds it was down. */
async function serviceDown(service: string, whileDown: () => Promise<void>): Promise<number> {
  const { kubectl } = await cluster();
  const deployment = `deployment/${release}-${service}`;
  const started = Date.now();
  await kubectl(['-n', ns, 'scale', deployment, '--replicas=0']);
  try {
    await waitFor(`no ${service} Pod`, async () => {
      const pods = await kubectlJson([
        '-n',
        ns,
        'get',
        'pods',
        '-l',
        `app.kubernetes.io/name=${service},app.kubernetes.io/instance=${release}`,
      ]);
      return pods.items.length === 0;
    });
    await whileDown();
  } finally {
    await kubectl(['-n', ns, 'scale', deployment, '--replicas=1']);
    await kubectl(['-n', ns, 'rollout', 'status', deployment, '--timeout=300s']);
  }
  return Math.round((Date.now() - started) / 1000);
}

async function walletTransfer() {
  const user = async (name: string) => {
    const registered = await api('POST', '/auth/register', {
      body: {
        email: `${name}-${randomUUID()}@example.com`,
        password: 'correct horse battery',
        name,
        role: 'user',
      },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    return { token: registered.body.access_token as string, vpa: registered.body.user.vpa };
  };
  const from = await user('payer');
  const to = await user('payee');
  const topup = await api('POST', '/wallet/topup', {
    token: from.token,
    headers: { 'Idempotency-Key': randomUUID() },
    body: { amount: 1000 },
  });
  expect(topup.status, JSON.stringify(topup.body)).toBeLessThan(300);
  const transfer = await api('POST', '/wallet/transfers', {
    token: from.token,
    headers: { 'Idempotency-Key': randomUUID() },
    body: { to: to.vpa, amount: 100, note: 'observability' },
  });
  expect(transfer.status, JSON.stringify(transfer.body)).toBe(201);
}

/** The address test/cluster/values.yaml lists in ADMIN_EMAILS. */
async function adminToken(): Promise<string> {
  const body = { email: 'admin@cluster.expe.test', password: 'correct horse battery' };
  const registered = await api('POST', '/auth/register', {
    body: { ...body, name: 'Cluster admin', role: 'user' },
  });
  const login = registered.status === 201 ? registered : await api('POST', '/auth/login', { body });
  return login.body.access_token as string;
}
