import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repositoryRoot, run, startControlPlane } from '@expe/kube-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOperatorConfig } from '../../operator/src/config.js';
import { extractBlocks } from '../support/doc-blocks.js';
import {
  environmentOf,
  isEgressAllowed,
  isIngressAllowed,
  podTemplates,
  prepareCharts,
  type Charts,
  serviceConfigLoaders,
  type KubeObject,
} from './support.js';

// The production install of docs/kubernetes.md: both production values files render under their
// strict schemas (helm template validates values.schema.json), fit together (the operator in
// expe-system, the platform in expe), and the identity keys made by the documented commands are
// keys every deployable loads.

const loaders: Record<string, (env: Record<string, string>) => unknown> = {
  ...serviceConfigLoaders,
  operator: loadOperatorConfig,
};
const signers = ['gateway', 'auth', 'payments', 'operator'];

let charts: Charts;
let platform: KubeObject[];
let operator: KubeObject[];
let keys: Record<string, { key: string; pub: string }>;
let scratch: string;

/** The documented block that makes the identity keys, run as a reader would (bash, openssl). */
async function runKeyBlock(dir: string) {
  const blocks = extractBlocks(repositoryRoot, 'docs/kubernetes.md');
  const doc = await readFile(join(repositoryRoot, 'docs/kubernetes.md'), 'utf8');
  const marker = doc
    .split('\n')
    .findIndex((line) => line.includes('<!-- production-identity-keys -->'));
  const block = blocks.find((b) => b.lang === 'sh' && b.line > marker + 1);
  expect(block, 'the key block after <!-- production-identity-keys -->').toBeDefined();
  await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', block!.code], { cwd: dir });
}

beforeAll(async () => {
  charts = await prepareCharts();
  [platform, operator] = await Promise.all([
    charts.render('expe', 'expe', {
      namespace: 'expe',
      args: ['-f', join(charts.dir, 'expe/values-production.yaml')],
    }),
    charts.render('expe-operator', 'expe-operator', {
      namespace: 'expe-system',
      args: ['-f', join(charts.dir, 'expe-operator/values-production.yaml')],
    }),
  ]);
  scratch = await mkdtemp(join(tmpdir(), 'expe-production-keys-'));
  await runKeyBlock(scratch);
  keys = Object.fromEntries(
    await Promise.all(
      signers.map(async (signer) => [
        signer,
        {
          key: await readFile(join(scratch, `${signer}.key`), 'utf8'),
          pub: await readFile(join(scratch, `${signer}.pub`), 'utf8'),
        },
      ]),
    ),
  );
}, 600_000);

afterAll(async () => {
  await charts?.cleanup();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('the production values', () => {
  it('when the documented identity keys and the platform Secret exist, then every deployable of both releases loads its configuration', () => {
    const secret = {
      JWT_SECRET: 'j'.repeat(40),
      INTERNAL_AUTH_SECRET: 'i'.repeat(40),
      PAYMENTS_CLIENT_SECRET_KEY: 'p'.repeat(40),
      WEBHOOK_SECRET_ENCRYPTION_KEY: 'w'.repeat(40),
      DATABASE_URL: 'postgres://expe:pw@10.20.0.7:5432/expe?sslmode=require',
      REDIS_URL: 'redis://10.20.1.9:6379',
    };
    const external = {
      secrets: {
        'expe-production': secret,
        ...Object.fromEntries(
          signers.map((s) => [`expe-${s}-identity`, { IDENTITY_PRIVATE_KEY: keys[s]!.key }]),
        ),
      },
      configMaps: {
        'expe-identity-public-keys': Object.fromEntries(signers.map((s) => [s, keys[s]!.pub])),
      },
    };
    const loaded: string[] = [];

    for (const { containers } of podTemplates([...platform, ...operator])) {
      for (const container of containers) {
        const load = loaders[container.name];
        if (!load) continue;
        const env = environmentOf(container, [...platform, ...operator], external);
        expect(() => load(env), container.name).not.toThrow();
        loaded.push(container.name);
      }
    }
    expect(loaded.sort()).toEqual(Object.keys(loaders).sort());
  });

  it('when the operator runs in expe-system, then it reaches merchants and webhooks in expe through its egress and their ingress, and the platform namespace is the one its URLs name', () => {
    const [operatorPod] = podTemplates(operator);
    const from = {
      namespace: 'expe-system',
      namespaceLabels: { 'kubernetes.io/metadata.name': 'expe-system' },
      labels: operatorPod!.labels,
    };
    const env = environmentOf(operatorPod!.containers[0]!, operator, {
      secrets: { 'expe-operator-identity': { IDENTITY_PRIVATE_KEY: keys.operator!.key } },
    });

    expect(env.MERCHANTS_URL).toBe('http://expe-merchants.expe:4002');
    expect(env.WEBHOOKS_URL).toBe('http://expe-webhooks.expe:4004');
    for (const service of ['merchants', 'webhooks']) {
      const pod = podTemplates(platform).find((p) => p.owner.metadata.name === `expe-${service}`)!;
      const port = pod.containers[0]!.ports![0]!;
      const target = {
        namespace: 'expe',
        namespaceLabels: { 'kubernetes.io/metadata.name': 'expe' },
        labels: pod.labels,
      };
      expect(
        isEgressAllowed(operator, from, { pod: target }, { port: port.containerPort }),
        service,
      ).toBe(true);
      expect(isIngressAllowed(platform, target, port, from), service).toBe(true);
    }
  });

  it('when the operator is installed with its production values, then its CRDs are release objects kept on uninstall and its replicas need nodes of their own', () => {
    const crds = operator.filter((o) => o.kind === 'CustomResourceDefinition');
    const deployment = operator.find((o) => o.kind === 'Deployment')!;

    expect(crds.map((crd) => crd.metadata.name)).toEqual(
      expect.arrayContaining(['merchants.expe.dev', 'webhookendpoints.expe.dev']),
    );
    for (const crd of crds)
      expect(crd.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
    expect(deployment.spec.replicas).toBe(2);
    expect(
      deployment.spec.template.spec.affinity.podAntiAffinity
        .requiredDuringSchedulingIgnoredDuringExecution,
    ).toHaveLength(1);
    expect(operator.some((o) => o.kind === 'PodDisruptionBudget')).toBe(true);
  });

  it('when the operator’s production values are applied to a real API server (dry run), then it accepts every object, Pod Security restricted included', async () => {
    const plane = await startControlPlane();
    try {
      // The operator's namespace, the platform's, and the tenant one it watches (its Role
      // lives there).
      for (const namespace of ['expe-system', 'expe', 'expe-tenants']) {
        await plane.kubectl(['create', 'namespace', namespace]);
        await plane.kubectl([
          'label',
          'namespace',
          namespace,
          'pod-security.kubernetes.io/warn=restricted',
        ]);
      }
      const { stdout: manifest } = await run(charts.helm, [
        'template',
        'expe-operator',
        join(charts.dir, 'expe-operator'),
        '--namespace',
        'expe-system',
        '-f',
        join(charts.dir, 'expe-operator/values-production.yaml'),
      ]);

      const result = await plane.kubectl(['apply', '--dry-run=server', '-f', '-'], {
        input: manifest,
      });

      expect(result.stderr).not.toMatch(/would violate PodSecurity/);
      expect(result.stdout).toMatch(/customresourcedefinition.*merchants\.expe\.dev created/);
      expect(result.stdout).toMatch(/deployment.apps\/expe-operator created/);
      expect(result.stdout).toMatch(/networkpolicy.*expe-operator created/);
    } finally {
      await plane.stop();
    }
  }, 300_000);

  it('when a production values file gets a key its schema does not know, then rendering fails naming it', async () => {
    const platformError = await charts.renderFailure('expe', 'expe', [
      '-f',
      join(charts.dir, 'expe/values-production.yaml'),
      '--set',
      'global.networkPolicy.egress.databse=x',
    ]);
    const operatorError = await charts.renderFailure('expe-operator', 'expe-operator', [
      '-f',
      join(charts.dir, 'expe-operator/values-production.yaml'),
      '--set',
      'crds.templatd=true',
    ]);

    expect(platformError).toMatch(/databse/);
    expect(operatorError).toMatch(/templatd/);
  });
});
