import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  chartsDirectory,
  repositoryRoot,
  run,
  startControlPlane,
  type ControlPlane,
} from '../src/index.js';

const coldBuildMs = 45 * 60_000;
const serviceCharts = ['gateway', 'auth', 'merchants', 'payments', 'webhooks', 'web'];
const allCharts = ['expe-lib', ...serviceCharts, 'expe-operator', 'expe'];

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: any;
}

function objects(manifest: string): KubeObject[] {
  return parseAllDocuments(manifest)
    .map((doc) => doc.toJSON() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null);
}

/** Every rule of every ClusterRole: what the operator may do outside its namespaces. */
const clusterRules = (rendered: KubeObject[]) =>
  rendered
    .filter((object) => object.kind === 'ClusterRole')
    .flatMap((role) => (role as unknown as { rules: unknown[] }).rules);

/**
 * The operator's own kinds, granted cluster-wide so that deleting a watched namespace (and the
 * Role in it) never takes away the right to release their finalizers (ADR 0015).
 */
const ownKindRules = [
  {
    apiGroups: ['expe.dev'],
    resources: ['merchants', 'webhookendpoints', 'sandboxes'],
    verbs: ['get', 'list', 'watch', 'update'],
  },
  {
    apiGroups: ['expe.dev'],
    resources: ['merchants/status', 'webhookendpoints/status', 'sandboxes/status'],
    verbs: ['patch'],
  },
  {
    apiGroups: ['expe.dev'],
    resources: ['merchants/finalizers', 'webhookendpoints/finalizers', 'sandboxes/finalizers'],
    verbs: ['update'],
  },
];

describe('Helm charts', () => {
  let plane: ControlPlane;
  let charts: string;

  const helm = (args: string[]) => plane.helm(args, { cwd: charts });
  /** The release is named after the chart: expe for the platform, expe-operator for the operator. */
  const template = (chart: string, namespace: string, extra: string[] = []) =>
    helm(['template', chart, join(charts, chart), '--namespace', namespace, ...extra]);
  /** Server-side dry run: admission, schema validation and PodSecurity, nothing stored. */
  const dryRun = (namespace: string | undefined, manifest: string) =>
    plane.kubectl(
      ['apply', '--dry-run=server', ...(namespace ? ['-n', namespace] : []), '-f', '-'],
      {
        input: manifest,
      },
    );
  const namespaceFor = async (name: string) => {
    // PodSecurity "restricted" in warn mode: a workload that would violate it makes the API
    // server answer with a warning, which the tests treat as a failure.
    await plane.kubectl(['create', 'namespace', name]);
    await plane.kubectl([
      'label',
      'namespace',
      name,
      'pod-security.kubernetes.io/warn=restricted',
      'pod-security.kubernetes.io/audit=restricted',
    ]);
    return name;
  };

  beforeAll(async () => {
    plane = await startControlPlane();
    // Vendor dependencies into a copy, so tests never write into the working tree.
    charts = await mkdtemp(join(tmpdir(), 'expe-charts-'));
    await cp(chartsDirectory, charts, { recursive: true, filter: (src) => !src.endsWith('.tgz') });
    await run('sh', [join(charts, 'update-dependencies.sh')], {
      env: { ...plane.env, HELM: plane.binaries.helm },
    });
  }, coldBuildMs);

  afterAll(async () => {
    await plane?.stop();
    if (charts) await rm(charts, { recursive: true, force: true });
  });

  it.each(allCharts)('when %s is linted, then helm lint passes in strict mode', async (chart) => {
    // The operator chart needs the expe release it works for (it assumes no name).
    const values = chart === 'expe-operator' ? ['--set', 'platform.releaseName=expe'] : [];
    const { stdout } = await helm(['lint', '--strict', join(charts, chart), ...values]);

    expect(stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
  });

  it('when the umbrella chart is rendered with default values, then the API server accepts every object', async () => {
    const ns = await namespaceFor('expe-default');
    const { stdout: manifest } = await template('expe', ns);

    const result = await dryRun(ns, manifest);

    expect(result.stderr).not.toMatch(/would violate PodSecurity/);
    const kinds = objects(manifest).map((object) => `${object.kind}/${object.metadata.name}`);
    for (const service of serviceCharts) {
      expect(kinds).toContain(`Deployment/expe-${service}`);
      expect(kinds).toContain(`Service/expe-${service}`);
      expect(kinds).toContain(`NetworkPolicy/expe-${service}`);
    }
    expect(kinds).toEqual(
      expect.arrayContaining([
        'StatefulSet/expe-postgresql',
        'Deployment/expe-redis',
        'Secret/expe-secrets',
        'ConfigMap/expe-dashboard-payments',
        'ConfigMap/expe-dashboard-webhook-delivery',
        'ConfigMap/expe-dashboard-system-performance',
        'ConfigMap/expe-dashboard-errors',
      ]),
    );
    // Monitoring is off by default: a cluster without the Prometheus Operator installs as is.
    expect(kinds.some((kind) => /^(ServiceMonitor|PrometheusRule)\//.test(kind))).toBe(false);
  });

  it('when the umbrella chart is rendered with values-production.yaml, then the API server accepts every object', async () => {
    const ns = await namespaceFor('expe-production');
    const { stdout: manifest } = await template('expe', ns, [
      '-f',
      join(charts, 'expe', 'values-production.yaml'),
    ]);

    const result = await dryRun(ns, manifest);

    expect(result.stderr).not.toMatch(/would violate PodSecurity/);
    const rendered = objects(manifest);
    const kinds = rendered.map((object) => `${object.kind}/${object.metadata.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'Ingress/expe',
        'HorizontalPodAutoscaler/expe-gateway',
        'PodDisruptionBudget/expe-payments',
      ]),
    );
    // Managed database and secrets: nothing in-cluster, nothing generated.
    expect(kinds.filter((kind) => /postgresql|redis|^Secret\//.test(kind))).toEqual([]);
    const gateway = rendered.find(
      (o) => o.kind === 'Deployment' && o.metadata.name === 'expe-gateway',
    );
    expect(gateway?.spec.template.spec.containers[0].image).toBe(
      'ghcr.io/expe-dev/expe-gateway:0.1.0',
    );
    // Each signer reads its own identity key from the Secret you created (ADR 0008).
    const identityKey = gateway?.spec.template.spec.containers[0].env.find(
      (env: any) => env.name === 'IDENTITY_PRIVATE_KEY',
    );
    expect(identityKey?.valueFrom.secretKeyRef).toEqual({
      name: 'expe-gateway-identity',
      key: 'IDENTITY_PRIVATE_KEY',
    });
    // The services migrate at start (advisory lock): no Job, no hook to fail an upgrade.
    expect(rendered.filter((o) => o.kind === 'Job')).toEqual([]);
  });

  it('when the umbrella chart is rendered with the Tilt dev values, then the API server accepts every object', async () => {
    const ns = await namespaceFor('expe-dev');
    const { stdout: manifest } = await template('expe', ns, [
      '-f',
      join(charts, 'expe', 'values-dev.yaml'),
    ]);

    const result = await dryRun(ns, manifest);

    expect(result.stderr).not.toMatch(/would violate PodSecurity/);
    const secret = objects(manifest).find(
      (o) => o.kind === 'Secret' && o.metadata.name === 'expe-secrets',
    ) as any;
    // Tilt renders with `helm template`, where lookup finds nothing: the secrets must be fixed.
    expect(Buffer.from(secret.data.JWT_SECRET, 'base64').toString()).toMatch(/^dev-only-/);
  });

  it.each(serviceCharts)(
    'when the %s chart is installed on its own, then the API server accepts it',
    async (chart) => {
      const ns = await namespaceFor(`alone-${chart}`);
      const { stdout: manifest } = await template(chart, ns);

      const result = await dryRun(ns, manifest);

      expect(result.stderr).not.toMatch(/would violate PodSecurity/);
      expect(objects(manifest).map((o) => o.kind)).toEqual(
        expect.arrayContaining([
          'Deployment',
          'Service',
          'ConfigMap',
          'NetworkPolicy',
          'PodDisruptionBudget',
        ]),
      );
    },
  );

  it('when monitoring is turned on in values, then ServiceMonitors and the alert rules render and the Prometheus Operator API accepts them', async () => {
    const ns = await namespaceFor('expe-monitoring');
    await plane.installCrds([
      join(repositoryRoot, 'packages/kube-harness/test/fixtures/monitoring-crds.yaml'),
    ]);
    const { stdout: manifest } = await template('expe', ns, [
      '--set',
      'global.metrics.serviceMonitor.enabled=true',
      '--set',
      'alerts.enabled=true',
    ]);

    await dryRun(ns, manifest);

    const rendered = objects(manifest);
    const monitors = rendered
      .filter((o) => o.kind === 'ServiceMonitor')
      .map((o) => o.metadata.name);
    expect(monitors.sort()).toEqual([
      'expe-auth',
      'expe-gateway',
      'expe-merchants',
      'expe-payments',
      'expe-webhooks',
    ]);
    const rules = rendered.find((o) => o.kind === 'PrometheusRule');
    const alerts = rules?.spec.groups.flatMap((group: any) =>
      group.rules.map((rule: any) => rule.alert),
    );
    expect(alerts).toEqual(
      expect.arrayContaining([
        'ExpeHighServerErrorRate',
        'ExpeWebhookFailureRateHigh',
        'ExpeWebhookQueueBacklog',
        'ExpeLedgerReconciliationMismatch',
      ]),
    );
    expect(JSON.stringify(rules)).toContain(`namespace=\\"${ns}\\"`);
  });

  it('when the Secret is rendered, then every key a service reads from it is there', async () => {
    const { stdout: manifest } = await template('expe', 'expe-secrets');
    const rendered = objects(manifest);
    const secrets = new Map(
      rendered
        .filter((o) => o.kind === 'Secret')
        .map((o) => [o.metadata.name, (o as KubeObject & { data: Record<string, string> }).data]),
    );

    const wanted: { name: string; key: string }[] = rendered
      .filter((o) => o.kind === 'Deployment' || o.kind === 'Job' || o.kind === 'StatefulSet')
      .flatMap((o) => [
        ...o.spec.template.spec.containers,
        ...(o.spec.template.spec.initContainers ?? []),
      ])
      .flatMap((container: any) => container.env ?? [])
      .map((env: any) => env.valueFrom?.secretKeyRef)
      .filter(Boolean);

    expect(wanted.length).toBeGreaterThan(0);
    // The shared Secret and each signer's own identity Secret (ADR 0008).
    expect(wanted).toEqual(
      expect.arrayContaining([
        { name: 'expe-secrets', key: 'JWT_SECRET' },
        { name: 'expe-gateway-identity', key: 'IDENTITY_PRIVATE_KEY' },
      ]),
    );
    for (const { name, key } of wanted) {
      expect(Object.keys(secrets.get(name) ?? {}), `Secret ${name} has ${key}`).toContain(key);
    }
    const jwtSecret = secrets.get('expe-secrets')?.JWT_SECRET ?? '';
    expect(Buffer.from(jwtSecret, 'base64').toString()).toMatch(/^[A-Za-z0-9]{48}$/);
  });

  it.each([
    [
      'a replica count that is not a number',
      ['--set', 'gateway.replicaCount=two'],
      /replicaCount.*(integer|number)/s,
    ],
    [
      'an unknown key in a service chart',
      ['--set', 'auth.replicas=2'],
      /additional properties 'replicas' not allowed|replicas.*not allowed/s,
    ],
    [
      'an unknown top-level key',
      ['--set', 'databse.url=x'],
      /additional properties 'databse' not allowed|databse.*not allowed/s,
    ],
    ['a log level that does not exist', ['--set', 'global.logLevel=verbose'], /logLevel/],
    ['a short generated-secret override', ['--set', 'secrets.jwtSecret=short'], /jwtSecret/],
  ])(
    'when the umbrella gets %s, then the schema refuses the values',
    async (_what, args, message) => {
      const result = await plane.helm(['template', 'expe', join(charts, 'expe'), ...args], {
        allowFailure: true,
      });

      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toMatch(/values don't meet the specifications of the schema/);
      expect(result.stderr).toMatch(message);
    },
  );

  it('when production values lack a database and no Secret is given, then rendering fails naming the value', async () => {
    const result = await plane.helm(
      ['template', 'expe', join(charts, 'expe'), '--set', 'postgresql.enabled=false'],
      { allowFailure: true },
    );

    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('externalDatabase.url is required');
  });

  it('when the operator chart is rendered, then its CRDs, RBAC and Deployment are accepted', async () => {
    const ns = await namespaceFor('expe-system');
    await plane.installCrds();
    const { stdout: manifest } = await template('expe-operator', ns, [
      '--include-crds',
      '--set',
      'platform.releaseName=expe',
    ]);

    const result = await dryRun(ns, manifest);

    expect(result.stderr).not.toMatch(/would violate PodSecurity/);
    const rendered = objects(manifest);
    const kinds = rendered.map((object) => object.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'CustomResourceDefinition',
        'Role',
        'RoleBinding',
        'ServiceAccount',
        'Deployment',
      ]),
    );
    // Cluster-wide: its own kinds, and reading the Namespaces it works in, by name (is one
    // being deleted?). No Secret, no Event.
    expect(clusterRules(rendered)).toEqual([
      ...ownKindRules,
      { apiGroups: [''], resources: ['namespaces'], resourceNames: [ns], verbs: ['get'] },
    ]);
    const deployment = rendered.find((o) => o.kind === 'Deployment');
    expect(deployment?.metadata.name).toBe('expe-operator');
    expect(deployment?.spec.replicas).toBe(2);
  });

  it('when the operator chart watches several namespaces, then it gets a Role for Secrets and Events in each and nothing cluster-wide but its own kinds', async () => {
    const ns = await namespaceFor('expe-operator-multi');
    await namespaceFor('team-a');
    await namespaceFor('team-b');
    const { stdout: manifest } = await template('expe-operator', ns, [
      '--set',
      'watchNamespaces={team-a,team-b}',
      '--set',
      'platform.releaseName=expe',
    ]);

    // The objects name their three namespaces themselves.
    await dryRun(undefined, manifest);

    const roles = objects(manifest).filter((o) => o.kind === 'Role');
    expect(roles.map((role: any) => role.metadata.namespace ?? ns).sort()).toEqual([
      ns,
      'team-a',
      'team-b',
    ]);
    const secretsRule = (roles[0] as any).rules.find((rule: any) =>
      rule.resources.includes('secrets'),
    );
    expect(secretsRule.verbs).toContain('create');
    const watchedRoles = roles.filter((role) => role.metadata.name === 'expe-operator');
    expect(watchedRoles).toHaveLength(2);
    for (const role of watchedRoles as any[]) {
      expect(role.rules.flatMap((rule: any) => rule.resources).sort()).toEqual([
        'events',
        'secrets',
      ]);
    }
    expect(clusterRules(objects(manifest))).toEqual([
      ...ownKindRules,
      {
        apiGroups: [''],
        resources: ['namespaces'],
        resourceNames: ['team-a', 'team-b', ns],
        verbs: ['get'],
      },
    ]);
  });

  it('when the operator chart gets an unknown value, then the schema refuses it', async () => {
    const result = await plane.helm(
      ['template', 'op', join(charts, 'expe-operator'), '--set', 'replicaCount=0'],
      { allowFailure: true },
    );

    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/replicaCount/);
  });

  it('when a service chart schema is compared with the shared one, then it is an exact copy', async () => {
    const shared = await readFile(
      join(chartsDirectory, 'expe-lib', 'service-values.schema.json'),
      'utf8',
    );

    for (const chart of serviceCharts) {
      const copy = await readFile(join(chartsDirectory, chart, 'values.schema.json'), 'utf8');
      expect(copy, `charts/${chart}/values.schema.json differs: run charts/sync-schemas.sh`).toBe(
        shared,
      );
    }
  });

  it('when the dashboards are read, then each is valid JSON whose panels all query Prometheus', async () => {
    const dir = join(chartsDirectory, 'expe', 'dashboards');
    const files = (await readdir(dir)).sort();

    expect(files).toEqual([
      'errors.json',
      'payments.json',
      'system-performance.json',
      'webhook-delivery.json',
    ]);
    for (const file of files) {
      const dashboard = JSON.parse(await readFile(join(dir, file), 'utf8'));
      expect(dashboard.uid).toMatch(/^expe-/);
      for (const panel of dashboard.panels) {
        expect(panel.targets.length, `${file}: ${panel.title}`).toBeGreaterThan(0);
        // Several releases may share one Prometheus: every query follows the namespace picker.
        for (const target of panel.targets)
          expect(target.expr).toContain('namespace=~"$namespace"');
      }
    }
  });
});
