import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podTemplates, prepareCharts, type Charts, type KubeObject } from './support.js';

// The security settings every Pod of both charts runs with, and how values change them. That the
// API server's Pod Security admission (restricted) accepts them is
// packages/kube-harness/test/charts.test.ts; that the Pods really start with them is the cluster
// tests.

let charts: Charts;

beforeAll(async () => {
  charts = await prepareCharts();
}, 600_000);

afterAll(async () => {
  await charts?.cleanup();
});

const platform = (args: string[] = []) => charts.render('expe', 'expe', { args });
const operator = (args: string[] = []) =>
  charts.render('expe-operator', 'expe-operator', {
    args: ['--set', 'platform.releaseName=expe', ...args],
  });

function podSpecs(objects: KubeObject[]) {
  return podTemplates(objects).map((pod) => ({
    name: pod.owner.metadata.name,
    spec: pod.owner.spec.template.spec as Record<string, any>,
  }));
}

const uids: Record<string, number> = {
  'expe-postgresql': 70,
  'expe-redis': 999,
  'expe-web': 101,
};

describe('defaults', () => {
  it.each([
    ['default', []],
    ['production', ['-f', 'expe/values-production.yaml']],
  ])(
    'when both charts are rendered with %s values, then every Pod and container has the full restricted security context',
    async (_values, args) => {
      const resolved = args.map((arg) => (arg.endsWith('.yaml') ? join(charts.dir, arg) : arg));
      const objects = [...(await platform(resolved)), ...(await operator())];
      const pods = podSpecs(objects);

      expect(pods.length).toBeGreaterThanOrEqual(7);
      for (const { name, spec } of pods) {
        const uid = uids[name] ?? 1000;
        expect(spec.securityContext, name).toEqual({
          runAsNonRoot: true,
          runAsUser: uid,
          runAsGroup: uid,
          fsGroup: uid,
          seccompProfile: { type: 'RuntimeDefault' },
        });
        for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
          expect(container.securityContext, `${name}/${container.name}`).toEqual({
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            capabilities: { drop: ['ALL'] },
          });
          // A read-only root still has a writable /tmp (an emptyDir).
          const tmp = (container.volumeMounts ?? []).find((m: any) => m.mountPath === '/tmp');
          if (name !== 'expe-redis') {
            expect(tmp, `${name}/${container.name} mounts /tmp`).toBeDefined();
            const volume = spec.volumes.find((v: any) => v.name === tmp.name);
            expect(volume.emptyDir, `${name} /tmp is an emptyDir`).toBeDefined();
          }
        }
      }
    },
  );
});

describe('overrides from values', () => {
  it('when a service, the operator, PostgreSQL and Redis get security-context values, then their Pods carry them merged over the defaults', async () => {
    const objects = [
      ...(await platform([
        '--set',
        'payments.podSecurityContext.runAsUser=2000',
        '--set',
        'payments.podSecurityContext.fsGroupChangePolicy=OnRootMismatch',
        '--set-json',
        'payments.securityContext.seccompProfile={"type":"Localhost","localhostProfile":"profiles/expe.json"}',
        '--set',
        'postgresql.podSecurityContext.runAsUser=999',
        '--set',
        'redis.securityContext.readOnlyRootFilesystem=false',
      ])),
      ...(await operator(['--set-json', 'podSecurityContext.supplementalGroups=[4000]'])),
    ];
    const spec = (name: string) => podSpecs(objects).find((pod) => pod.name === name)!.spec;

    expect(spec('expe-payments').securityContext).toMatchObject({
      runAsUser: 2000,
      runAsGroup: 1000,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec('expe-payments').containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/expe.json' },
    });
    expect(spec('expe-postgresql').securityContext.runAsUser).toBe(999);
    expect(spec('expe-redis').containers[0].securityContext.readOnlyRootFilesystem).toBe(false);
    expect(spec('expe-operator').securityContext).toMatchObject({
      runAsNonRoot: true,
      supplementalGroups: [4000],
    });
  });

  it('when a key is set to null, then it is removed from the rendered context', async () => {
    const objects = await platform(['--set', 'auth.podSecurityContext.fsGroup=null']);
    const auth = podSpecs(objects).find((pod) => pod.name === 'expe-auth')!.spec;

    expect(auth.securityContext).not.toHaveProperty('fsGroup');
    expect(auth.securityContext.runAsNonRoot).toBe(true);
  });

  it.each([
    [
      'a misspelt pod key',
      'expe',
      ['--set', 'payments.podSecurityContext.runAsNonroot=true'],
      /runAsNonroot/,
    ],
    [
      'a container key on the pod',
      'expe',
      ['--set', 'gateway.podSecurityContext.allowPrivilegeEscalation=false'],
      /allowPrivilegeEscalation/,
    ],
    [
      'an unknown seccomp type',
      'expe',
      ['--set', 'postgresql.podSecurityContext.seccompProfile.type=Default'],
      /seccompProfile/,
    ],
    [
      'a capability list that is not a list',
      'expe-operator',
      ['--set', 'platform.releaseName=expe', '--set', 'securityContext.capabilities.drop=ALL'],
      /drop/,
    ],
  ])(
    'when %s is given, then the schema refuses it naming the key',
    async (_what, chart, args, message) => {
      const error = await charts.renderFailure(chart, chart, args);

      expect(error).toMatch(message);
    },
  );
});

describe('the operator’s replicas', () => {
  it('when the operator is rendered with defaults, then its replicas prefer different nodes, spread across zones and keep one up through disruptions', async () => {
    const objects = await operator();
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    const spec = deployment.spec.template.spec;
    const selector = deployment.spec.selector.matchLabels;

    expect(spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      {
        weight: 100,
        podAffinityTerm: {
          topologyKey: 'kubernetes.io/hostname',
          labelSelector: { matchLabels: selector },
        },
      },
    ]);
    expect(spec.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: selector },
      },
    ]);
    // Kubernetes' default rollout (a surge Pod fits beside the others: the preset is soft).
    expect(deployment.spec.strategy).toBeUndefined();
    const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget')!;
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: selector } });
  });

  it('when the preset is hard, then a replica requires a node of its own and a rollout needs no spare node; a whole affinity replaces the preset', async () => {
    const hard = (await operator(['--set', 'podAntiAffinityPreset=hard'])).find(
      (o) => o.kind === 'Deployment',
    )!;
    const custom = (
      await operator([
        '--set-json',
        'affinity={"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"pool","operator":"In","values":["system"]}]}]}}}',
      ])
    ).find((o) => o.kind === 'Deployment')!;
    const none = (
      await operator(['--set', 'podAntiAffinityPreset=', '--set', 'topologySpread.enabled=false'])
    ).find((o) => o.kind === 'Deployment')!;

    expect(
      hard.spec.template.spec.affinity.podAntiAffinity
        .requiredDuringSchedulingIgnoredDuringExecution,
    ).toEqual([
      {
        topologyKey: 'kubernetes.io/hostname',
        labelSelector: { matchLabels: hard.spec.selector.matchLabels },
      },
    ]);
    // A rollout must not need a spare node: with a surge the new replica would stay Pending
    // beside the old ones, each on a node of its own (seen on the one-node cluster).
    expect(hard.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 0, maxUnavailable: 1 },
    });
    expect(Object.keys(custom.spec.template.spec.affinity)).toEqual(['nodeAffinity']);
    expect(none.spec.template.spec.affinity).toBeUndefined();
    expect(none.spec.template.spec.topologySpreadConstraints).toBeUndefined();
  });
});
