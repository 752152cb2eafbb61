import { generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadGatewayConfig } from '@expe/gateway';
import { repositoryRoot, run } from '@expe/kube-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOperatorConfig } from '../../operator/src/config.js';
import {
  environmentOf,
  existsInBuiltLayout,
  isIngressAllowed,
  podTemplates,
  prepareCharts,
  selectorMatches,
  type Charts,
  serviceConfigLoaders,
  type KubeObject,
} from './support.js';

// What a first `helm install` would run into, found without a cluster: every command path a
// chart names exists in the built layout, every service gets the environment its config schema
// requires, Services are named the way callers address them for any release name, and the
// NetworkPolicies admit Prometheus to every port a ServiceMonitor scrapes.

const loaders: Record<string, (env: Record<string, string>) => unknown> = {
  ...serviceConfigLoaders,
  'expe-operator': loadOperatorConfig,
};
const nodeServices = ['gateway', 'auth', 'merchants', 'payments', 'webhooks'];
const valueFiles = {
  default: [],
  dev: ['-f', 'expe/values-dev.yaml'],
  production: ['-f', 'expe/values-production.yaml'],
} as const;

/** Monitoring turned on by values alone (no --api-versions: what `helm template` sees). */
const monitoringOn = ['--set', 'global.metrics.serviceMonitor.enabled=true'];

let charts: Charts;
const rendered = new Map<string, KubeObject[]>();

/** The umbrella chart rendered as release `release` with one of the value files. */
async function platform(release: string, values: keyof typeof valueFiles, extra: string[] = []) {
  const key = `${release}:${values}:${extra.join(' ')}`;
  const cached = rendered.get(key);
  if (cached) return cached;
  const args = valueFiles[values].flatMap((arg) =>
    arg === '-f' ? [arg] : [join(charts.dir, arg)],
  );
  const objects = await charts.render(release, 'expe', { args: [...args, ...extra] });
  rendered.set(key, objects);
  return objects;
}

/** The expe images run the Node deployables; anything else (PostgreSQL, nginx) is not ours. */
const isExpeNodeImage = (image: string) => /(^|\/)expe-(?!web\b)[a-z-]+(:|$)/.test(image);

beforeAll(async () => {
  charts = await prepareCharts();
  // The image runs what `tsc -b` writes; build it (incremental) so dist/ is current.
  await run('npx', ['tsc', '-b'], { cwd: repositoryRoot });
}, 600_000);

afterAll(async () => {
  await charts?.cleanup();
});

describe('command paths', () => {
  it.each(Object.keys(valueFiles) as (keyof typeof valueFiles)[])(
    'when the umbrella chart is rendered with %s values, then every script a container runs exists in the built layout',
    async (values) => {
      const objects = await platform('expe', values);
      const containers = podTemplates(objects)
        .flatMap((pod) => pod.containers)
        .filter((container) => isExpeNodeImage(container.image));

      expect(containers.map((c) => c.name).sort()).toEqual([...nodeServices].sort());
      for (const container of containers) {
        const argv = [...(container.command ?? []), ...(container.args ?? [])];
        expect(argv[0], `${container.name} runs node`).toBe('node');
        const scripts = argv.filter((arg) => arg.endsWith('.js'));
        expect(scripts, `${container.name} names the script it runs`).toHaveLength(1);
        for (const script of scripts) {
          expect(
            await existsInBuiltLayout(repositoryRoot, script),
            `${container.name}: ${script}`,
          ).toBe(true);
        }
      }
    },
  );

  it('when a service starts with the OpenTelemetry preload, then the preloaded module is in the built layout', async () => {
    const objects = await platform('expe', 'default');
    const manifest = JSON.parse(
      await readFile(join(repositoryRoot, 'packages/server-kit/package.json'), 'utf8'),
    );

    for (const { containers } of podTemplates(objects)) {
      for (const container of containers.filter((c) => isExpeNodeImage(c.image))) {
        const argv = container.command ?? [];
        const imported = argv[argv.indexOf('--import') + 1];
        expect(imported, `${container.name} preloads the instrumentation`).toBe(
          '@expe/server-kit/instrument',
        );
        const target = manifest.exports['./instrument'].default as string;
        expect(await existsInBuiltLayout(repositoryRoot, join('packages/server-kit', target))).toBe(
          true,
        );
      }
    }
  });

  it('when the operator chart is rendered, then the script it runs exists in the built layout', async () => {
    const objects = await charts.render('expe-operator', 'expe-operator', {
      args: ['--set', 'platform.releaseName=expe'],
    });
    const [container] = podTemplates(objects).flatMap((pod) => pod.containers);

    expect(container?.command).toEqual(['node', 'operator/dist/main.js']);
    expect(await existsInBuiltLayout(repositoryRoot, 'operator/dist/main.js')).toBe(true);
  });

  it('when the Dockerfile names a script in a CMD, then it exists in the built layout', async () => {
    const dockerfile = await readFile(join(repositoryRoot, 'Dockerfile'), 'utf8');
    const scripts = [...dockerfile.matchAll(/CMD \[([^\]]*)\]/g)]
      .flatMap((match) => JSON.parse(`[${match[1]}]`) as string[])
      .filter((arg) => arg.endsWith('.js'));

    expect(scripts.length).toBeGreaterThanOrEqual(6);
    for (const script of scripts) {
      expect(await existsInBuiltLayout(repositoryRoot, script), script).toBe(true);
    }
  });

  it('when the umbrella chart is rendered, then no Job or hook runs before the services (they migrate at start)', async () => {
    for (const values of Object.keys(valueFiles) as (keyof typeof valueFiles)[]) {
      const objects = await platform('expe', values);
      expect(objects.filter((o) => o.kind === 'Job')).toEqual([]);
      expect(objects.filter((o) => o.metadata.annotations?.['helm.sh/hook'])).toEqual([]);
    }
  });
});

describe('image pull policy', () => {
  it('when global.image.pullPolicy is Never, then no container of either chart would pull', async () => {
    const platformObjects = await platform('expe', 'default', [
      '--set',
      'global.image.pullPolicy=Never',
    ]);
    const operatorObjects = await charts.render('expe-operator', 'expe-operator', {
      args: ['--set', 'platform.releaseName=expe', '--set', 'global.image.pullPolicy=Never'],
    });

    const containers = podTemplates([...platformObjects, ...operatorObjects]).flatMap((pod) =>
      pod.containers.map((c) => ({ pod: pod.owner.metadata.name, ...c })),
    );
    expect(containers.length).toBeGreaterThanOrEqual(9);
    for (const container of containers) {
      expect(
        (container as { imagePullPolicy?: string }).imagePullPolicy,
        `${container.pod}/${container.name}`,
      ).toBe('Never');
    }
  });
});

describe('uninstall', () => {
  it('when the in-cluster database is rendered, then its volume goes with the release unless told to stay', async () => {
    const policy = async (extra: string[]) =>
      (await platform('expe', 'default', extra)).find((o) => o.kind === 'StatefulSet')?.spec
        .persistentVolumeClaimRetentionPolicy;

    expect(await policy([])).toEqual({ whenDeleted: 'Delete', whenScaled: 'Retain' });
    expect(await policy(['--set', 'postgresql.storage.deleteOnUninstall=false'])).toEqual({
      whenDeleted: 'Retain',
      whenScaled: 'Retain',
    });
  });

  it('when the operator chart is rendered, then its Lease is owned by its Deployment and it may read that Deployment only', async () => {
    const objects = await charts.render('expe-operator', 'expe-operator', {
      args: ['--set', 'platform.releaseName=expe'],
    });
    const [container] = podTemplates(objects).flatMap((pod) => pod.containers);
    const env = Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value]));
    const rules = objects.find((o) => o.metadata.name === 'expe-operator-leader-election') as
      (KubeObject & { rules: { resources: string[]; resourceNames?: string[] }[] }) | undefined;

    expect(env.LEASE_OWNER_DEPLOYMENT).toBe('expe-operator');
    expect(rules?.rules.find((r) => r.resources.includes('deployments'))?.resourceNames).toEqual([
      'expe-operator',
    ]);
  });
});

describe('service environment', () => {
  it.each(['expe', 'payments-sandbox'])(
    'when release %s is rendered, then every service loads its config from the environment the chart gives it',
    async (release) => {
      const objects = await platform(release, 'default');

      for (const { containers } of podTemplates(objects)) {
        for (const container of containers.filter((c) => isExpeNodeImage(c.image))) {
          const env = environmentOf(container, objects);
          const load = loaders[container.name];
          expect(load, `a config loader for ${container.name}`).toBeDefined();
          expect(() => load?.(env), container.name).not.toThrow();
        }
      }
    },
  );

  it('when the production values name an existing Secret, then the documented keys are all a service needs from it', async () => {
    const objects = await platform('expe', 'production');
    const values = await readFile(join(charts.dir, 'expe/values-production.yaml'), 'utf8');
    const documented = ['JWT_SECRET', 'INTERNAL_AUTH_SECRET', 'PAYMENTS_CLIENT_SECRET_KEY'];
    documented.push('WEBHOOK_SECRET_ENCRYPTION_KEY', 'DATABASE_URL', 'REDIS_URL');
    for (const key of documented) expect(values).toContain(key);
    const secret = {
      ...Object.fromEntries(
        documented.map((key) => [key, `${key.toLowerCase()}-`.padEnd(40, 'x')]),
      ),
      DATABASE_URL: 'postgres://expe:pw@db.example:5432/expe',
      REDIS_URL: 'redis://redis.example:6379',
    };

    // The identity keys are yours too (identity.create=false): a Secret per signer, one ConfigMap
    // of public keys, under the names values-production.yaml documents.
    const signers = ['gateway', 'auth', 'payments', 'operator'];
    for (const name of [...signers.map((s) => `expe-${s}-identity`), 'expe-identity-public-keys']) {
      expect(values).toContain(name);
    }
    const keys = signers.map((signer) => {
      const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      return {
        signer,
        privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      };
    });
    const external = {
      secrets: {
        'expe-production': secret,
        ...Object.fromEntries(
          keys.map((k) => [`expe-${k.signer}-identity`, { IDENTITY_PRIVATE_KEY: k.privateKey }]),
        ),
      },
      configMaps: {
        'expe-identity-public-keys': Object.fromEntries(keys.map((k) => [k.signer, k.publicKey])),
      },
    };
    expect(objects.filter((o) => o.metadata.name.includes('identity'))).toEqual([]);

    for (const { containers } of podTemplates(objects)) {
      for (const container of containers.filter((c) => isExpeNodeImage(c.image))) {
        const env = environmentOf(container, objects, external);
        expect(() => loaders[container.name]?.(env), container.name).not.toThrow();
      }
    }
  });

  it('when the gateway is installed with default values, then it does not trust X-Forwarded-For', async () => {
    const objects = await platform('expe', 'default');
    const gateway = podTemplates(objects)
      .flatMap((pod) => pod.containers)
      .find((container) => container.name === 'gateway');

    const config = loadGatewayConfig(environmentOf(gateway!, objects));

    expect(config.TRUST_PROXY).toBe(false);
  });

  it('when the gateway is installed with default values, then its Stripe-compatible API is a container port, a Service port and open to clients', async () => {
    const objects = await platform('expe', 'default');
    const pod = podTemplates(objects).find((p) => p.owner.metadata.name === 'expe-gateway')!;
    const gateway = pod.containers.find((container) => container.name === 'gateway')!;
    const config = loadGatewayConfig(environmentOf(gateway, objects));
    const port = gateway.ports!.find((p) => p.name === 'stripe')!;

    expect(config.STRIPE_ENABLED).toBe(true);
    expect(port.containerPort).toBe(config.STRIPE_PORT);
    const service = objects.find(
      (o) => o.kind === 'Service' && o.metadata.name === 'expe-gateway',
    )!;
    expect(service.spec.ports).toContainEqual(
      expect.objectContaining({ name: 'stripe', port: 12111, targetPort: 'stripe' }),
    );
    const client = { namespace: 'shop', namespaceLabels: {}, labels: { app: 'shop' } };
    expect(isIngressAllowed(objects, { namespace: 'expe', labels: pod.labels }, port, client)).toBe(
      true,
    );
  });

  it('when global.otel.endpoint is set, then every Node service exports spans there under its own name', async () => {
    const objects = await platform('expe', 'default', [
      '--set',
      'global.otel.endpoint=http://collector.observability:4318',
    ]);

    for (const { containers } of podTemplates(objects)) {
      for (const container of containers.filter((c) => isExpeNodeImage(c.image))) {
        const env = environmentOf(container, objects);
        expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://collector.observability:4318');
        expect(env.OTEL_SERVICE_NAME).toBe(container.name);
      }
    }
  });
});

describe('names and addresses', () => {
  /** Every http://<host>:<port> a service is configured with, resolved against the manifest. */
  function unresolvedAddresses(
    objects: KubeObject[],
    namespace: string,
    env: Record<string, string>,
  ) {
    const services = objects.filter((o) => o.kind === 'Service');
    const problems: string[] = [];
    for (const [name, value] of Object.entries(env)) {
      // CHECKOUT_BASE_URL is the public origin shoppers see, not an in-cluster address.
      if (!/_URL$/.test(name) || name === 'CHECKOUT_BASE_URL') continue;
      if (!/^https?:\/\//.test(value)) continue;
      const url = new URL(value);
      if (!/^[a-z0-9-]+(\.[a-z0-9-]+)?$/.test(url.hostname)) continue;
      const [host, hostNamespace = namespace] = url.hostname.split('.');
      const found = services.find(
        (service) =>
          service.metadata.name === host &&
          hostNamespace === namespace &&
          service.spec.ports.some((port: any) => String(port.port) === url.port),
      );
      if (!found) problems.push(`${name}=${value}`);
    }
    return problems;
  }

  it.each(['expe', 'payments-sandbox', 'payments', 'gateway-test'])(
    'when the umbrella is installed as release %s, then every service URL names a Service of the release',
    async (release) => {
      const objects = await platform(release, 'default');

      for (const { containers } of podTemplates(objects)) {
        for (const container of containers.filter((c) => isExpeNodeImage(c.image))) {
          const env = environmentOf(container, objects);
          expect(unresolvedAddresses(objects, 'expe', env), container.name).toEqual([]);
        }
      }
      for (const service of nodeServices) {
        expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toContain(
          `Service/${release}-${service}`,
        );
      }
    },
  );

  it('when the dev values run the web app on Vite, then its API proxy targets the gateway Service', async () => {
    const objects = await platform('expe', 'dev');
    const web = podTemplates(objects)
      .flatMap((pod) => pod.containers)
      .find((container) => container.name === 'web');

    const env = environmentOf(web!, objects);

    expect(env.EXPE_GATEWAY_URL).toBe('http://expe-gateway:4000');
    expect(unresolvedAddresses(objects, 'expe', { GATEWAY_URL: env.EXPE_GATEWAY_URL! })).toEqual(
      [],
    );
  });

  it.each([
    ['expe', 'expe-operator'],
    ['payments-sandbox', 'sandbox-operator'],
  ])(
    'when the platform is release %s and the operator release %s, then the operator reaches its services and Secret',
    async (platformRelease, operatorRelease) => {
      const platformObjects = await platform(platformRelease, 'default');
      const operatorObjects = await charts.render(operatorRelease, 'expe-operator', {
        args: ['--set', `platform.releaseName=${platformRelease}`],
      });
      const all = [...platformObjects, ...operatorObjects];
      const [operator] = podTemplates(operatorObjects).flatMap((pod) => pod.containers);

      const env = environmentOf(operator!, all);

      expect(unresolvedAddresses(all, 'expe', env)).toEqual([]);
      expect(env.MERCHANTS_URL).toContain(`${platformRelease}-merchants`);
      // A Sandbox's spec.fixtures are applied through the platform's gateway.
      expect(env.GATEWAY_URL).toContain(`${platformRelease}-gateway`);
      expect(() => loadOperatorConfig(env)).not.toThrow();
    },
  );

  it('when two operator releases share a namespace, then their objects and Leases are distinct', async () => {
    const render = (release: string, platformRelease: string) =>
      charts.render(release, 'expe-operator', {
        args: ['--set', `platform.releaseName=${platformRelease}`],
      });
    const [first, second] = await Promise.all([
      render('expe-operator', 'expe'),
      render('sandbox-operator', 'payments-sandbox'),
    ]);
    const lease = (objects: KubeObject[]) => {
      const [container] = podTemplates(objects).flatMap((pod) => pod.containers);
      return container?.env?.find((e) => e.name === 'LEASE_NAME')?.value;
    };
    const names = (objects: KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);

    expect(lease(first)).toBe('expe-operator');
    expect(lease(second)).toBe('sandbox-operator-expe-operator');
    expect(names(first).filter((name) => names(second).includes(name))).toEqual([]);
  });

  it('when the operator chart is rendered without the platform release, then it fails naming the value', async () => {
    const error = await charts.renderFailure('expe-operator', 'expe-operator', []);

    expect(error).toContain('platform.releaseName is required');
  });
});

describe('metrics scraping through the NetworkPolicies', () => {
  const monitoring = {
    namespace: 'monitoring',
    namespaceLabels: { 'kubernetes.io/metadata.name': 'monitoring' },
    labels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'kps' },
  };
  const stranger = {
    namespace: 'other',
    namespaceLabels: { 'kubernetes.io/metadata.name': 'other' },
    labels: { app: 'curl' },
  };

  /** The pod port each ServiceMonitor endpoint reaches, with the pod's labels. */
  function scrapeTargets(objects: KubeObject[]) {
    const monitors = objects.filter((o) => o.kind === 'ServiceMonitor');
    return monitors.flatMap((monitor) => {
      const services = objects.filter(
        (o) =>
          o.kind === 'Service' && selectorMatches(monitor.spec.selector, o.metadata.labels ?? {}),
      );
      expect(services.length, `${monitor.metadata.name} selects a Service`).toBeGreaterThan(0);
      return services.flatMap((service) =>
        (monitor.spec.endpoints as { port: string }[]).map((endpoint) => {
          const servicePort = service.spec.ports.find((p: any) => p.name === endpoint.port);
          expect(servicePort, `${monitor.metadata.name} port ${endpoint.port}`).toBeDefined();
          const pod = podTemplates(objects).find((p) =>
            selectorMatches({ matchLabels: service.spec.selector }, p.labels),
          );
          expect(pod, `pods behind ${service.metadata.name}`).toBeDefined();
          const port = pod!.containers
            .flatMap((c) => c.ports ?? [])
            .find(
              (p) =>
                p.name === servicePort.targetPort || p.containerPort === servicePort.targetPort,
            );
          expect(port, `container port ${servicePort.targetPort}`).toBeDefined();
          return { monitor: monitor.metadata.name, labels: pod!.labels, port: port! };
        }),
      );
    });
  }

  it.each(['default', 'production'] as const)(
    'when ServiceMonitors render with %s values, then Prometheus may scrape every target port and a stranger may not',
    async (values) => {
      const objects = await platform('expe', values, monitoringOn);
      const targets = scrapeTargets(objects);

      expect(targets.map((t) => t.monitor).sort()).toEqual(
        nodeServices.map((service) => `expe-${service}`).sort(),
      );
      for (const target of targets) {
        const pod = { namespace: 'expe', labels: target.labels };
        expect(isIngressAllowed(objects, pod, target.port, monitoring), target.monitor).toBe(true);
        if (!target.monitor.endsWith('-gateway')) {
          expect(isIngressAllowed(objects, pod, target.port, stranger), target.monitor).toBe(false);
        }
      }
    },
  );

  it('when global.metricsScrapers names another namespace, then only that Prometheus is admitted', async () => {
    const objects = await platform('expe', 'default', [
      ...monitoringOn,
      '--set-json',
      'global.metricsScrapers=[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"observability"}}}]',
    ]);
    const elsewhere = {
      ...monitoring,
      namespace: 'observability',
      namespaceLabels: { 'kubernetes.io/metadata.name': 'observability' },
    };

    for (const target of scrapeTargets(objects)) {
      if (target.monitor.endsWith('-gateway')) continue;
      const pod = { namespace: 'expe', labels: target.labels };
      expect(isIngressAllowed(objects, pod, target.port, elsewhere), target.monitor).toBe(true);
      expect(isIngressAllowed(objects, pod, target.port, monitoring), target.monitor).toBe(false);
    }
  });

  it('when the operator runs beside the platform, then the services it calls admit it', async () => {
    const objects = await platform('expe', 'default');
    const operatorObjects = await charts.render('expe-operator', 'expe-operator', {
      args: ['--set', 'platform.releaseName=expe'],
    });
    const [operatorPod] = podTemplates(operatorObjects);
    const from = { namespace: 'expe', namespaceLabels: {}, labels: operatorPod!.labels };

    for (const service of ['merchants', 'webhooks']) {
      const pod = podTemplates(objects).find((p) => p.owner.metadata.name === `expe-${service}`)!;
      const port = pod.containers[0]!.ports![0]!;
      expect(isIngressAllowed(objects, { namespace: 'expe', labels: pod.labels }, port, from)).toBe(
        true,
      );
    }
  });
});

describe('monitoring objects from values alone', () => {
  const kinds = (objects: KubeObject[], kind: string) =>
    objects
      .filter((o) => o.kind === kind)
      .map((o) => o.metadata.name)
      .sort();

  it('when monitoring is turned on in values, then helm template (no cluster, no API list) renders every ServiceMonitor and the alert rules', async () => {
    const objects = await platform('expe', 'default', [
      ...monitoringOn,
      '--set',
      'alerts.enabled=true',
    ]);
    const operator = await charts.render('expe-operator', 'expe-operator', {
      args: ['--set', 'platform.releaseName=expe', ...monitoringOn],
    });

    expect(kinds(objects, 'ServiceMonitor')).toEqual(
      nodeServices.map((service) => `expe-${service}`).sort(),
    );
    expect(kinds(objects, 'PrometheusRule')).toEqual(['expe-alerts']);
    expect(kinds(operator, 'ServiceMonitor')).toEqual(['expe-operator']);
  });

  it('when monitoring is off in values, then nothing renders for it even where the cluster serves the API', async () => {
    const objects = await platform('expe', 'default', [
      '--api-versions',
      'monitoring.coreos.com/v1',
    ]);
    const operator = await charts.render('expe-operator', 'expe-operator', {
      args: ['--set', 'platform.releaseName=expe', '--api-versions', 'monitoring.coreos.com/v1'],
    });

    expect(kinds(objects, 'ServiceMonitor')).toEqual([]);
    expect(kinds(objects, 'PrometheusRule')).toEqual([]);
    expect(kinds(operator, 'ServiceMonitor')).toEqual([]);
  });

  it('when the alert rules render, then every alert has a runbook_url, and a vanished target of each service fires too (absent), not only up == 0', async () => {
    const objects = await platform('expe', 'default', ['--set', 'alerts.enabled=true']);
    const rule = objects.find((o) => o.kind === 'PrometheusRule');
    const rules: {
      alert: string;
      expr: string;
      labels: Record<string, string>;
      annotations: Record<string, string>;
    }[] = rule?.spec.groups.flatMap((group: { rules: unknown[] }) => group.rules) ?? [];

    for (const alert of rules) {
      expect(alert.annotations.runbook_url, alert.alert).toMatch(
        new RegExp(`^https://.+#${alert.alert.toLowerCase()}$`),
      );
    }
    const down = rules.find((alert) => alert.alert === 'ExpeServiceDown');
    expect(down?.expr).toMatch(/up\{.*\} == 0/);
    const missing = rules.filter((alert) => alert.alert === 'ExpeServiceTargetMissing');
    expect(missing.map((alert) => alert.labels.service).sort()).toEqual(
      nodeServices.map((service) => `expe-${service}`).sort(),
    );
    for (const alert of missing) {
      expect(alert.expr).toContain(
        `absent(up{namespace="expe", service="${alert.labels.service}"})`,
      );
    }
  });
});

describe('values-dev.yaml', () => {
  it('when the dev values are rendered twice (Tilt renders with helm template on every change), then every secret, the webhook encryption key included, is the same', async () => {
    const secretOf = async () => {
      // Not the cached render: a second, independent `helm template`.
      const objects = await charts.render('expe', 'expe', {
        args: ['-f', join(charts.dir, 'expe/values-dev.yaml')],
      });
      return objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'expe-secrets')?.data;
    };

    const [first, second] = [await secretOf(), await secretOf()];

    expect(first).toBeDefined();
    expect(second).toEqual(first);
    const key = Buffer.from(first?.WEBHOOK_SECRET_ENCRYPTION_KEY ?? '', 'base64').toString();
    expect(key).toMatch(/^dev-only-/);
  });
});

describe('extension points under the strict schema', () => {
  const extras = [
    ['--set', 'priorityClassName=expe-critical'],
    ['--set', 'podLabels.team=payments'],
    ['--set-json', 'extraEnv=[{"name":"NODE_EXTRA_CA_CERTS","value":"/etc/ca/ca.crt"}]'],
    ['--set-json', 'extraVolumes=[{"name":"ca","configMap":{"name":"corporate-ca"}}]'],
    ['--set-json', 'extraVolumeMounts=[{"name":"ca","mountPath":"/etc/ca","readOnly":true}]'],
  ];
  const extraObject =
    'extraObjects=[{"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{"name":"{{ .Release.Name }}-critical"},"value":1000000}]';

  it('when the operator chart gets a priority class, pod labels, env, volumes and extra objects, then its Pod and release carry them', async () => {
    const objects = await charts.render('expe-operator', 'expe-operator', {
      args: ['--set', 'platform.releaseName=expe', ...extras.flat(), '--set-json', extraObject],
    });
    const [pod] = podTemplates(objects);
    const spec = (
      objects.find((o) => o.kind === 'Deployment')?.spec as {
        template: { spec: Record<string, any> };
      }
    ).template.spec;

    expect(spec.priorityClassName).toBe('expe-critical');
    expect(pod?.labels.team).toBe('payments');
    expect(spec.containers[0].env).toContainEqual({
      name: 'NODE_EXTRA_CA_CERTS',
      value: '/etc/ca/ca.crt',
    });
    expect(spec.volumes).toContainEqual({ name: 'ca', configMap: { name: 'corporate-ca' } });
    expect(spec.containers[0].volumeMounts).toContainEqual({
      name: 'ca',
      mountPath: '/etc/ca',
      readOnly: true,
    });
    expect(objects.find((o) => o.kind === 'PriorityClass')?.metadata.name).toBe(
      'expe-operator-critical',
    );
  });

  it('when a service and the umbrella get the same, then the service Pod and the release carry them', async () => {
    const objects = await platform('expe', 'default', [
      ...extras.flat().map((arg) => (arg.startsWith('--') ? arg : `payments.${arg}`)),
      '--set-json',
      extraObject,
    ]);
    const payments = objects.find(
      (o) => o.kind === 'Deployment' && o.metadata.name === 'expe-payments',
    )?.spec.template.spec;

    expect(payments.priorityClassName).toBe('expe-critical');
    expect(payments.volumes).toContainEqual({ name: 'ca', configMap: { name: 'corporate-ca' } });
    expect(payments.containers[0].volumeMounts).toContainEqual({
      name: 'ca',
      mountPath: '/etc/ca',
      readOnly: true,
    });
    expect(objects.find((o) => o.kind === 'PriorityClass')?.metadata.name).toBe('expe-critical');
  });

  it('when an extension point gets the wrong shape, then the schema refuses it naming the value', async () => {
    const wrong = await charts.renderFailure('expe-operator', 'expe-operator', [
      '--set',
      'platform.releaseName=expe',
      '--set-json',
      'extraVolumeMounts=[{"name":"ca"}]',
    ]);

    expect(wrong).toMatch(/extraVolumeMounts/);
    expect(wrong).toMatch(/mountPath/);
  });
});
