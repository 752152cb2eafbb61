import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repositoryRoot } from '@expe/kube-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  onboardMerchant,
  startTestPlatform,
  uniqueEmail,
  type TestPlatform,
} from '../support/test-platform.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';
import { prepareCharts, type Charts } from './support.js';

// Every metric a Grafana dashboard or an alert rule of the charts queries must be exported by
// the running services once a payment, a refund, a wallet transfer, a reconciliation and a
// webhook delivery have happened; and every label it filters or groups by must be on it.

/** Labels Prometheus adds to every scraped series (ServiceMonitor target labels). */
const targetLabels = new Set(['namespace', 'service', 'pod', 'job', 'instance', 'container']);
/** Metrics that come from Prometheus itself, kube-state-metrics and the kubelet's cAdvisor. */
const clusterMetrics = [/^up$/, /^kube_/, /^container_/];
const promqlWords = new Set([
  ...['sum', 'min', 'max', 'avg', 'count', 'topk', 'bottomk', 'rate', 'irate', 'increase'],
  ...['histogram_quantile', 'label_values', 'by', 'without', 'on', 'ignoring', 'and', 'or'],
  ...['unless', 'bool', 'offset', 'group_left', 'group_right', 'abs', 'clamp_min', 'vector'],
  ...['absent'],
  ...['humanizePercentage', 'humanizeDuration'],
]);

interface Query {
  source: string;
  expr: string;
}

interface Matcher {
  metric: string;
  label: string;
  op: string;
  value: string;
}

/** Metric names, label matchers and grouping labels of one PromQL expression. */
export function parsePromql(expr: string) {
  const matchers: Matcher[] = [];
  const metrics = new Set<string>();
  const selector = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}/g;
  for (const match of expr.matchAll(selector)) {
    const metric = match[1]!;
    metrics.add(metric);
    for (const m of match[2]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"([^"]*)"/g)) {
      matchers.push({ metric, label: m[1]!, op: m[2]!, value: m[3]! });
    }
  }
  const grouping = [...expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)].flatMap((match) =>
    match[1]!
      .split(',')
      .map((label) => label.trim())
      .filter(Boolean),
  );
  // Bare metric names (no selector): whatever identifier is left that is not PromQL.
  const stripped = expr
    .replace(selector, ' ')
    .replace(/\b(?:by|without|on|ignoring)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/"[^"]*"/g, ' ');
  for (const word of stripped.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? []) {
    if (!promqlWords.has(word)) metrics.add(word);
  }
  return { metrics: [...metrics], matchers, grouping };
}

/** Prometheus text exposition → series per metric name (labels of each sample). */
function parseExposition(text: string) {
  const series = new Map<string, Record<string, string>[]>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const m of (match[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[m[1]!] = m[2]!;
    }
    const list = series.get(match[1]!) ?? [];
    list.push(labels);
    series.set(match[1]!, list);
  }
  return series;
}

async function dashboardQueries(): Promise<Query[]> {
  const dir = join(repositoryRoot, 'charts/expe/dashboards');
  const queries: Query[] = [];
  for (const file of (await readdir(dir)).filter((name) => name.endsWith('.json'))) {
    const dashboard = JSON.parse(await readFile(join(dir, file), 'utf8'));
    for (const panel of dashboard.panels) {
      for (const target of panel.targets ?? []) {
        queries.push({ source: `${file}: ${panel.title}`, expr: target.expr });
      }
    }
  }
  return queries;
}

async function alertQueries(charts: Charts): Promise<Query[]> {
  const objects = await charts.render('expe', 'expe', {
    // From values alone: `helm template` knows no API of the cluster.
    args: ['--set', 'alerts.enabled=true'],
  });
  const rules = objects.filter((object) => object.kind === 'PrometheusRule');
  expect(rules.length).toBeGreaterThan(0);
  return rules.flatMap((rule) =>
    (rule.spec.groups as { rules: { alert?: string; record?: string; expr: string }[] }[]).flatMap(
      (group) =>
        group.rules.map((r) => ({ source: `alert ${r.alert ?? r.record}`, expr: String(r.expr) })),
    ),
  );
}

let t: TestPlatform;
let charts: Charts;
let exported: Map<string, Record<string, string>[]>;
const adminEmail = uniqueEmail('metrics-admin');

async function drivePlatform() {
  const card = { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' };
  const declined = { ...card, number: '4000000000000002' };
  const merchant = await onboardMerchant(t, 'metrics');
  const receiver = await startWebhookReceiver();
  try {
    const endpoint = await t.api('POST', '/v1/webhook_endpoints', {
      token: merchant.key.secret,
      body: { url: receiver.url, enabled_events: ['*'] },
    });
    expect(endpoint.status).toBe(201);

    const pay = async (cardDetails: typeof card) => {
      const payment = await t.api('POST', '/v1/payments', {
        token: merchant.key.secret,
        body: { amount: 50_000, currency: 'inr' },
      });
      expect(payment.status).toBe(201);
      return t.api('POST', `/v1/payments/${payment.body.id}/confirm`, {
        body: { client_secret: payment.body.client_secret, method: 'card', card: cardDetails },
      });
    };
    const paid = await pay(card);
    expect(paid.status).toBe(200);
    expect((await pay(declined)).status).toBe(402);
    const refund = await t.api('POST', '/v1/refunds', {
      token: merchant.key.secret,
      body: { payment: paid.body.id, amount: 10_000 },
    });
    expect(refund.status).toBe(201);

    const register = async (email: string) => {
      const response = await t.api('POST', '/v1/auth/register', {
        body: { email, password: 'correct horse battery', name: 'Metrics user', role: 'user' },
      });
      expect(response.status).toBe(201);
      return response.body;
    };
    const sender = await register(uniqueEmail('metrics-sender'));
    const recipient = await register(uniqueEmail('metrics-recipient'));
    const topup = await t.api('POST', '/v1/wallet/topup', {
      token: sender.access_token,
      body: { amount: 10_000 },
    });
    expect(topup.status).toBe(201);
    const transfer = await t.api('POST', '/v1/wallet/transfers', {
      token: sender.access_token,
      body: { to: recipient.user.vpa, amount: 2_500 },
    });
    expect(transfer.status).toBe(201);

    const admin = await register(adminEmail);
    const reconciliation = await t.api('GET', '/v1/admin/reconciliation', {
      token: admin.access_token,
    });
    expect(reconciliation.status).toBe(200);

    await receiver.waitFor((all) => all.some((r) => r.event.type === 'refund.succeeded'));
  } finally {
    await receiver.close();
  }
}

/** Scrapes every service; in one process they share a registry, so all must agree. */
async function scrapeAll() {
  const merged = new Map<string, Record<string, string>[]>();
  for (const [name, service] of Object.entries(t.platform.services)) {
    const response = await fetch(`${service.url}/metrics`);
    expect(response.status, `${name} /metrics`).toBe(200);
    for (const [metric, series] of parseExposition(await response.text())) {
      merged.set(metric, [...(merged.get(metric) ?? []), ...series]);
    }
  }
  return merged;
}

beforeAll(async () => {
  charts = await prepareCharts();
  t = await startTestPlatform({ ADMIN_EMAILS: adminEmail });
  await drivePlatform();
  // The delivery attempt is counted once the receiver's answer is in: scrape until it is.
  const deadline = Date.now() + 15_000;
  do {
    exported = await scrapeAll();
    if ((exported.get('webhook_deliveries_total') ?? []).length > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  } while (Date.now() < deadline);
}, 180_000);

afterAll(async () => {
  await t?.close();
  await charts?.cleanup();
});

describe('the PromQL reader', () => {
  it('when an expression groups and filters, then it finds metrics, matchers and grouping labels', () => {
    const parsed = parsePromql(
      'sum by (code) (rate(payments_failed_total{namespace=~"$namespace", code!="x"}[5m])) / up',
    );

    expect(parsed.metrics.sort()).toEqual(['payments_failed_total', 'up']);
    expect(parsed.grouping).toEqual(['code']);
    expect(parsed.matchers).toContainEqual({
      metric: 'payments_failed_total',
      label: 'code',
      op: '!=',
      value: 'x',
    });
  });
});

describe('dashboards and alert rules against a running platform', () => {
  function problemsOf(queries: Query[]) {
    const problems: string[] = [];
    for (const { source, expr } of queries) {
      const { metrics, matchers, grouping } = parsePromql(expr);
      const ours = metrics.filter((metric) => !clusterMetrics.some((re) => re.test(metric)));
      for (const metric of ours) {
        if (!exported.has(metric)) problems.push(`${source}: ${metric} is not exported`);
      }
      for (const matcher of matchers) {
        if (targetLabels.has(matcher.label)) continue;
        const series = exported.get(matcher.metric);
        if (!series) continue;
        if (!series.some((labels) => matcher.label in labels)) {
          problems.push(`${source}: ${matcher.metric} has no label ${matcher.label}`);
        } else if (
          (matcher.op === '=' || matcher.op === '!=') &&
          !series.some((labels) => labels[matcher.label] === matcher.value)
        ) {
          problems.push(
            `${source}: ${matcher.metric}{${matcher.label}="${matcher.value}"} never occurs (values: ${[
              ...new Set(series.map((labels) => labels[matcher.label])),
            ].join(', ')})`,
          );
        }
      }
      for (const label of grouping) {
        if (targetLabels.has(label) || (label === 'le' && ours.some((m) => m.endsWith('_bucket'))))
          continue;
        if (!ours.some((metric) => exported.get(metric)?.some((labels) => label in labels))) {
          problems.push(`${source}: grouped by ${label}, which none of ${ours.join(', ')} has`);
        }
      }
    }
    return problems;
  }

  it('when the dashboards are read, then every metric and label they query is exported', async () => {
    const queries = await dashboardQueries();

    expect(queries.length).toBeGreaterThan(10);
    expect(problemsOf(queries)).toEqual([]);
  });

  it('when the alert rules are rendered, then every metric and label they query is exported', async () => {
    const queries = await alertQueries(charts);

    expect(queries.map((q) => q.source)).toContain('alert ExpeWebhookQueueBacklog');
    expect(problemsOf(queries)).toEqual([]);
  });

  it('when the flows ran, then the documented business metrics are there', () => {
    for (const metric of [
      'payments_created_total',
      'payments_succeeded_total',
      'payments_failed_total',
      'refunds_succeeded_total',
      'wallet_transfers_completed_total',
      'webhook_deliveries_total',
      'webhook_queue_depth',
      'webhook_queue_oldest_job_age_seconds',
      'ledger_reconciliation_mismatches',
    ]) {
      expect(exported.has(metric), metric).toBe(true);
    }
  });
});
