// The Tilt dev loop, proven by simulation: Tilt cannot be installed on the machines this project
// is built on, so test/tilt-sim (Go, go.starlark.net — the Starlark interpreter Tilt embeds)
// evaluates the repository's Tiltfile with Tilt's builtins checked against its documented API,
// and prints what the Tiltfile declared. Here that declaration is held against the repository:
// the images, live_update steps, resources, port forwards and dependencies a contributor relies
// on, every path and chart value the Tiltfile names, and the Deployments the charts really
// render (helm template), for both clusters it supports (kind and the built-in one).
// What stays unproven here (Tilt's own engine: file watching, builds, the tar-over-exec sync)
// is listed in docs/kubernetes.md, "The dev loop".
import { execFile, spawn } from 'node:child_process';
import { constants, existsSync } from 'node:fs';
import { access, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { postgresImage, redisImage, repositoryRoot } from '@expe/kube-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { prepareCharts, type Charts, type KubeObject } from './charts/support.js';
import { buildTiltSimulator, type Declared, type TiltSimulator } from './support/tilt-simulator.js';

const exec = promisify(execFile);

let workDir: string;
let sim: TiltSimulator;

/** Runs the simulator on a Tiltfile; resolves with its exit code and output. */
const simulate = (tiltfile: string, context: string, args: string[] = []) =>
  sim.run(tiltfile, context, args);

async function declared(context: string, args: string[] = []): Promise<Declared> {
  const result = await simulate(join(repositoryRoot, 'Tiltfile'), context, args);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Declared;
}

const services = { gateway: 4000, auth: 4001, merchants: 4002, payments: 4003, webhooks: 4004 };
const serviceNames = Object.keys(services);
const images = ['gateway', 'auth', 'merchants', 'payments', 'webhooks', 'web', 'operator'].map(
  (name) => `expe-${name}`,
);

const exists = (path: string) =>
  access(join(repositoryRoot, path), constants.F_OK).then(
    () => true,
    () => false,
  );

/** Every file or directory the Tiltfile names, from what it declared. */
function namedPaths(d: Declared): string[] {
  const paths = new Set<string>([...d.readFiles, ...d.watchedFiles]);
  for (const source of d.k8sYaml) if (source.file) paths.add(source.file);
  for (const call of d.helm) [call.pathToChartDir, ...call.values].forEach((p) => paths.add(p));
  for (const image of d.images) {
    for (const key of ['context', 'dockerfile'] as const) {
      if (typeof image.args[key] === 'string') paths.add(image.args[key]);
    }
    for (const key of ['only', 'deps'] as const) {
      for (const path of (image.args[key] as string[] | undefined) ?? []) paths.add(path);
    }
    for (const step of image.liveUpdate) {
      if (step.step === 'sync') paths.add(step.local_path);
      if (step.step === 'fall_back_on') step.files.forEach((file) => paths.add(file));
    }
    // The program the container starts, as the entrypoint names it (relative to /app).
    const program = image.args.entrypoint?.find((arg) => /\.(ts|js)$/.test(arg));
    if (program) paths.add(program);
  }
  for (const resource of d.localResources) (resource.deps ?? []).forEach((p) => paths.add(p));
  return [...paths];
}

// --- chart values -----------------------------------------------------------------------------

type Schema = {
  $ref?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  patternProperties?: Record<string, Schema>;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  definitions?: Record<string, Schema>;
  $defs?: Record<string, Schema>;
};

async function readJson<T>(path: string): Promise<T | undefined> {
  return readFile(path, 'utf8').then(
    (text) => JSON.parse(text) as T,
    () => undefined,
  );
}

/** Whether the schema declares `path` (through properties, pattern or typed additional properties). */
function schemaDeclares(root: Schema, schema: Schema, path: string[]): boolean {
  if (schema.$ref) {
    const [, section, name] = /^#\/(definitions|\$defs)\/(.+)$/.exec(schema.$ref) ?? [];
    const target = section && name ? root[section as 'definitions' | '$defs']?.[name] : undefined;
    return target ? schemaDeclares(root, target, path) : false;
  }
  if (path.length === 0) return true;
  const [key, ...rest] = path as [string, ...string[]];
  const branches = [...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.allOf ?? [])];
  if (branches.some((branch) => schemaDeclares(root, branch, path))) return true;
  const property = schema.properties?.[key];
  if (property) return schemaDeclares(root, property, rest);
  for (const [pattern, sub] of Object.entries(schema.patternProperties ?? {})) {
    if (new RegExp(pattern).test(key)) return schemaDeclares(root, sub, rest);
  }
  if (typeof schema.additionalProperties === 'object') {
    return schemaDeclares(root, schema.additionalProperties, rest);
  }
  return false;
}

function valuesHave(values: unknown, path: string[]): boolean {
  let node = values;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

/**
 * Whether the chart in `chartDir` (relative to the repository) knows the value at `path`: its
 * values.yaml has it, its values.schema.json declares it, or the first key names a dependency
 * whose chart knows the rest (globals: any of them).
 */
async function chartKnows(chartDir: string, path: string[]): Promise<boolean> {
  const dir = join(repositoryRoot, chartDir);
  const values = parseYaml(await readFile(join(dir, 'values.yaml'), 'utf8')) as unknown;
  if (valuesHave(values, path)) return true;
  const schema = await readJson<Schema>(join(dir, 'values.schema.json'));
  if (schema && schemaDeclares(schema, schema, path)) return true;
  const chart = parseYaml(await readFile(join(dir, 'Chart.yaml'), 'utf8')) as {
    dependencies?: { name: string; alias?: string; repository: string }[];
  };
  for (const dependency of chart.dependencies ?? []) {
    const subchart = join(chartDir, dependency.repository.replace(/^file:\/\//, ''));
    if (path[0] === 'global' && (await chartKnows(subchart, path))) return true;
    if ((dependency.alias ?? dependency.name) === path[0]) {
      if (await chartKnows(subchart, path.slice(1))) return true;
    }
  }
  return false;
}

/** Leaf paths of a values file (a list or an empty map is a leaf). */
function leafPaths(values: unknown, prefix: string[] = []): string[][] {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) return [prefix];
  const entries = Object.entries(values as Record<string, unknown>);
  if (entries.length === 0) return [prefix];
  return entries.flatMap(([key, value]) => leafPaths(value, [...prefix, key]));
}

// --- the tests -----------------------------------------------------------------------------------

let kind: Declared;
let builtin: Declared;

beforeAll(async () => {
  sim = await buildTiltSimulator();
  workDir = await mkdtemp(join(tmpdir(), 'tilt-sim-'));
  [kind, builtin] = await Promise.all([declared('kind-expe'), declared('expe-cluster')]);
}, 300_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
  await sim?.remove();
});

describe('the Tiltfile, evaluated by a real Starlark interpreter with Tilt’s documented API', () => {
  it('when the kube context is kind-expe, then it builds every image with docker_build from the Dockerfile’s dev target and installs both charts', async () => {
    expect(kind.config).toEqual({});
    expect(kind.allowedContexts).toContain('kind-expe');
    expect(kind.images.map((image) => image.ref).sort()).toEqual([...images].sort());
    const dockerfile = await readFile(join(repositoryRoot, 'Dockerfile'), 'utf8');
    for (const image of kind.images) {
      expect(image.builder, image.ref).toBe('docker_build');
      expect(image.args).toMatchObject({ context: '.', dockerfile: 'Dockerfile', target: 'dev' });
    }
    expect(dockerfile).toMatch(/^FROM \S+ AS dev$/m);
    // The dev stage's working directory is /app: where the syncs below land.
    expect(dockerfile).toMatch(/^WORKDIR \/app$/m);
    expect(kind.k8sYaml).toEqual([
      { file: 'k8s/dev-namespace.yaml' },
      { file: 'k8s/local-registry-hosting.yaml' },
      { helm: 0 },
      { file: 'charts/expe-operator/crds/merchants.expe.dev.yaml' },
      { file: 'charts/expe-operator/crds/sandboxes.expe.dev.yaml' },
      { file: 'charts/expe-operator/crds/webhookendpoints.expe.dev.yaml' },
      { helm: 1 },
    ]);
    expect(kind.helm.map(({ pathToChartDir, name }) => [pathToChartDir, name])).toEqual([
      ['charts/expe', 'expe'],
      ['charts/expe-operator', 'expe-operator'],
    ]);
    expect(new Set(kind.helm.map((call) => call.namespace))).toEqual(new Set(['expe-dev']));
    expect(kind.helm[0]!.values).toEqual(['charts/expe/values-dev.yaml']);
    expect(kind.helm[1]!.set).toContain('platform.releaseName=expe');
  });

  it('when the kube context is expe-cluster (npm run cluster:up), then every image comes from the kube harness through custom_build with no registry and no Docker', async () => {
    expect(builtin.allowedContexts).toContain('expe-cluster');
    expect(builtin.images.map((image) => image.ref).sort()).toEqual([...images].sort());
    for (const image of builtin.images) {
      expect(image.builder, image.ref).toBe('custom_build');
      expect(image.args).toMatchObject({
        command:
          'node --conditions=@expe/source --import tsx packages/kube-harness/src/cluster-cli.ts dev-image "$EXPECTED_REF"',
        disable_push: true,
        skips_local_docker: true,
      });
      // The same files reach the image as in Docker's build, the same steps update it.
      const twin = kind.images.find((other) => other.ref === image.ref)!;
      expect(image.args.deps).toEqual(twin.args.only);
      expect(image.args.entrypoint).toEqual(twin.args.entrypoint);
      expect(image.liveUpdate).toEqual(twin.liveUpdate);
    }
    // No registry: the KEP-1755 ConfigMap that points Tilt at kind's is left out.
    expect(builtin.k8sYaml.map((source) => source.file)).not.toContain(
      'k8s/local-registry-hosting.yaml',
    );
    // PostgreSQL and Redis from the harness's Debian images, imported before their Pods start.
    expect(builtin.helm[0]!.set).toEqual(
      expect.arrayContaining([
        'global.image.pullPolicy=Never',
        `postgresql.image=${postgresImage}`,
        `redis.image=${redisImage}`,
      ]),
    );
    expect(builtin.helm[1]!.set).toContain('global.image.pullPolicy=Never');
    expect(builtin.localResources.find((r) => r.name === 'data-images')?.cmd).toBe(
      'node --conditions=@expe/source --import tsx packages/kube-harness/src/cluster-cli.ts data-images',
    );
    for (const data of ['expe-postgresql', 'expe-redis']) {
      expect(builtin.k8sResources.find((r) => r.workload === data)?.resource_deps).toEqual([
        'data-images',
      ]);
    }
    // The flag says the same as the context; the built-in cluster on another context is refused.
    const flagged = await declared('expe-cluster', ['--cluster=builtin']);
    expect(flagged.images).toEqual(builtin.images);
    expect(flagged.config).toEqual({ cluster: 'builtin' });
    const wrongContext = await simulate(join(repositoryRoot, 'Tiltfile'), 'kind-expe', [
      '--cluster=builtin',
    ]);
    expect(wrongContext.code).not.toBe(0);
    expect(wrongContext.stderr).toContain('point the kube context at it');
  });

  it('when the kube harness runs the custom_build and data-images commands, then it knows both', async () => {
    const usage = await exec(
      'node',
      [
        '--conditions=@expe/source',
        '--import',
        'tsx',
        'packages/kube-harness/src/cluster-cli.ts',
        'help',
      ],
      { cwd: repositoryRoot },
    ).then(
      () => '',
      (error: { stderr?: string }) => error.stderr ?? '',
    );
    expect(usage).toContain('dev-image <ref>');
    expect(usage).toContain('data-images');
  });

  it.each(['kind', 'builtin'] as const)(
    'when a service’s source changes (%s), then live_update syncs it to where the running process reads it and a dependency change rebuilds',
    (mode) => {
      const d = mode === 'kind' ? kind : builtin;
      for (const name of serviceNames) {
        const image = d.images.find((i) => i.ref === `expe-${name}`)!;
        const migrations = `services/${name}/migrations`;
        expect(image.liveUpdate).toEqual([
          {
            step: 'fall_back_on',
            files: ['package.json', 'package-lock.json', `services/${name}/package.json`],
          },
          { step: 'sync', local_path: 'packages', remote_path: '/app/packages' },
          {
            step: 'sync',
            local_path: `services/${name}/src`,
            remote_path: `/app/services/${name}/src`,
          },
          // Only a service with migrations syncs them; they are read at start, so a changed one
          // touches the entry point and node --watch restarts the process, which applies it.
          ...(existsSync(join(repositoryRoot, migrations))
            ? [
                { step: 'sync', local_path: migrations, remote_path: `/app/${migrations}` },
                {
                  step: 'run',
                  cmd: `touch /app/services/${name}/src/main.ts`,
                  trigger: [migrations],
                },
              ]
            : []),
        ]);
        // node --watch restarts the process when an imported module changes.
        expect(image.args.entrypoint).toEqual([
          'node',
          '--conditions=@expe/source',
          '--import',
          'tsx',
          '--import',
          '@expe/server-kit/instrument',
          '--watch',
          `services/${name}/src/main.ts`,
        ]);
      }
      const operator = d.images.find((i) => i.ref === 'expe-operator')!;
      expect(operator.args.entrypoint).toContain('--watch');
      expect(operator.args.entrypoint).toContain('operator/src/main.ts');
      expect(operator.liveUpdate.filter((s) => s.step === 'sync')).toEqual([
        { step: 'sync', local_path: 'packages', remote_path: '/app/packages' },
        { step: 'sync', local_path: 'operator/src', remote_path: '/app/operator/src' },
      ]);
      const web = d.images.find((i) => i.ref === 'expe-web')!;
      expect(web.liveUpdate).toEqual([
        { step: 'fall_back_on', files: ['web/package.json', 'package-lock.json'] },
        { step: 'sync', local_path: 'web', remote_path: '/app/web' },
      ]);
      // Every sync lands at /app/<the same path>: the image's layout is the repository's.
      for (const image of d.images) {
        for (const step of image.liveUpdate) {
          if (step.step === 'sync') expect(step.remote_path).toBe(`/app/${step.local_path}`);
        }
      }
    },
  );

  it.each(['kind', 'builtin'] as const)(
    'when Tilt is up (%s), then each service, the web app, PostgreSQL and Redis are forwarded to localhost and wait for what they need',
    (mode) => {
      const d = mode === 'kind' ? kind : builtin;
      const forwards = Object.fromEntries(
        d.k8sResources.map((r) => [r.workload, r.port_forwards ?? []]),
      );
      const same = (port: number) => ({ local: port, container: port });
      expect(forwards).toEqual({
        'expe-operator': [],
        'expe-postgresql': [same(5432)],
        'expe-redis': [same(6379)],
        'expe-gateway': [same(4000), same(12111)],
        'expe-auth': [same(4001)],
        'expe-merchants': [same(4002)],
        'expe-payments': [same(4003)],
        'expe-webhooks': [same(4004)],
        'expe-web': [same(8080)],
      });
      const deps = Object.fromEntries(d.k8sResources.map((r) => [r.workload, r.resource_deps]));
      for (const name of serviceNames) {
        expect(deps[`expe-${name}`]).toEqual(['expe-postgresql', 'expe-redis']);
      }
      expect(deps['expe-web']).toEqual(['expe-gateway']);
      expect(deps['expe-operator']).toEqual(['expe-merchants', 'expe-webhooks']);
      // A resource may only wait for a resource the Tiltfile declares.
      const names = new Set([
        ...d.k8sResources.map((r) => r.workload),
        ...d.localResources.map((r) => r.name),
      ]);
      for (const [workload, needs] of Object.entries(deps)) {
        for (const need of needs ?? []) expect(names.has(need), `${workload} → ${need}`).toBe(true);
      }
      expect(d.localResources.find((r) => r.name === 'typecheck')?.cmd).toBe(
        'npx tsc -b && npx tsc -p tsconfig.tools.json',
      );
    },
  );

  it.each(['kind', 'builtin'] as const)(
    'when the Tiltfile names a path (%s), then it exists, and the commands it runs are scripts of the repository',
    async (mode) => {
      const d = mode === 'kind' ? kind : builtin;
      const missing = [];
      for (const path of namedPaths(d)) if (!(await exists(path))) missing.push(path);
      expect(missing).toEqual([]);
      expect(d.localCommands.map((c) => c.command)).toEqual(['charts/update-dependencies.sh']);
      await access(join(repositoryRoot, 'charts/update-dependencies.sh'), constants.X_OK);
      // The harness commands run the CLI the custom builds name.
      expect(await exists('packages/kube-harness/src/cluster-cli.ts')).toBe(true);
    },
  );

  it.each(['kind', 'builtin'] as const)(
    'when the Tiltfile sets a chart value (%s), then the chart has that value (values.yaml or values.schema.json)',
    async (mode) => {
      const d = mode === 'kind' ? kind : builtin;
      const unknown: string[] = [];
      for (const call of d.helm) {
        const paths = call.set.map((entry) => entry.slice(0, entry.indexOf('=')).split('.'));
        for (const file of call.values) {
          const values = parseYaml(await readFile(join(repositoryRoot, file), 'utf8')) as unknown;
          paths.push(...leafPaths(values));
        }
        for (const path of paths) {
          if (!(await chartKnows(call.pathToChartDir, path))) {
            unknown.push(`${call.pathToChartDir}: ${path.join('.')}`);
          }
        }
      }
      expect(unknown).toEqual([]);
    },
  );
});

describe('the simulator', () => {
  const cases: [string, string, RegExp][] = [
    ['an unknown builtin', "docker_bild('x', '.')", /undefined: docker_bild/],
    [
      'an unknown argument',
      "docker_build('x', '.', targt='dev')",
      /docker_build: unexpected keyword argument "targt"/,
    ],
    ['a missing argument', "custom_build('x', 'make')", /custom_build: missing argument "deps"/],
    [
      'a value of the wrong type',
      "k8s_resource('x', port_forwards=True)",
      /k8s_resource: argument "port_forwards" is bool/,
    ],
    [
      'run before sync',
      "docker_build('x', '.', live_update=[run('true'), sync('.', '/app')])",
      /out of order/,
    ],
    [
      'a sync outside the build',
      "docker_build('x', '.', only=['a'], live_update=[sync('b', '/app/b')])",
      /outside what the build watches/,
    ],
    [
      'restart_container on Kubernetes',
      "docker_build('x', '.', live_update=[restart_container()])",
      /Docker Compose resources only/,
    ],
    ['an unused live_update step', "sync('a', '/app/a')", /used by no build/],
    ['an extension', "load('ext://restart_process', 'docker_build_with_restart')", /not simulated/],
    ['a context that is not allowed', "allow_k8s_contexts('kind-expe')", /not allowed/],
  ];

  it.each(cases)(
    'when a Tiltfile has %s, then the evaluation fails and says why',
    async (_, source, message) => {
      const tiltfile = join(workDir, `Tiltfile-${Math.random().toString(36).slice(2)}`);
      await writeFile(tiltfile, `${source}\n`);
      const result = await simulate(tiltfile, 'prod-cluster');
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(message);
    },
  );
});

describe('the Tiltfile against what the charts render (helm template)', () => {
  let charts: Charts;

  beforeAll(async () => {
    charts = await prepareCharts();
  }, 1_200_000);

  afterAll(async () => {
    await charts?.cleanup();
  });

  async function render(d: Declared): Promise<KubeObject[]> {
    const objects: KubeObject[] = [];
    for (const call of d.helm) {
      const chart = call.pathToChartDir.replace(/^charts\//, '');
      objects.push(
        ...(await charts.render(call.name, chart, {
          namespace: call.namespace,
          args: [
            ...call.values.flatMap((file) => ['-f', join(repositoryRoot, file)]),
            ...call.set.flatMap((entry) => ['--set', entry]),
          ],
        })),
      );
    }
    return objects;
  }

  interface Container {
    name: string;
    image: string;
    ports?: { containerPort: number }[];
  }

  it.each(['kind', 'builtin'] as const)(
    'when the charts render with the Tiltfile’s values (%s), then every workload has a Tilt resource, every expe image is one Tilt builds, and every forward reaches a container port',
    async (mode) => {
      const d = mode === 'kind' ? kind : builtin;
      const workloads = (await render(d)).filter((o) =>
        ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(o.kind),
      );
      const resources = new Map(d.k8sResources.map((r) => [r.workload, r]));
      const refs = new Set(d.images.map((image) => image.ref));
      const imagesUsed = new Set<string>();

      expect(workloads.map((w) => w.metadata.name).sort()).toEqual([...resources.keys()].sort());
      for (const workload of workloads) {
        const name = workload.metadata.name;
        const pod = workload.spec.template.spec as {
          containers: Container[];
          initContainers?: Container[];
        };
        const containers = [...pod.containers, ...(pod.initContainers ?? [])];
        for (const container of containers) {
          const repository = container.image.replace(/:[^:/]+$/, '');
          if (repository.startsWith('expe-')) {
            expect(refs.has(repository), `${name}: ${container.image} is not built by Tilt`).toBe(
              true,
            );
            imagesUsed.add(repository);
          } else if (mode === 'builtin') {
            // Nothing is pulled on the built-in cluster: only the harness's imported images.
            expect([postgresImage, redisImage], `${name}: ${container.image}`).toContain(
              container.image,
            );
          }
        }
        const ports = new Set(
          pod.containers.flatMap((c) => (c.ports ?? []).map((p) => p.containerPort)),
        );
        for (const forward of resources.get(name)?.port_forwards ?? []) {
          expect(ports.has(forward.container), `${name} forwards to ${forward.container}`).toBe(
            true,
          );
        }
      }
      // Tilt warns of an image no workload uses; here every image it builds is deployed.
      expect([...imagesUsed].sort()).toEqual([...refs].sort());
    },
    300_000,
  );
});

describe('the restart the live update relies on (node --watch under tsx, as the entrypoints run)', () => {
  it('when a synced module the process imports changes, or main.ts is touched, then the process restarts with the new code', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tilt-watch-'));
    const main = join(dir, 'main.ts');
    const dependency = join(dir, 'greeting.ts');
    await writeFile(dependency, "export const greeting: string = 'first';\n");
    await writeFile(
      main,
      "import { greeting } from './greeting.ts';\nconsole.log(`started ${greeting}`);\nsetInterval(() => {}, 1_000);\n",
    );
    // The services' entrypoint, less the telemetry preload: node --import tsx --watch main.ts.
    const child = spawn(
      process.execPath,
      ['--conditions=@expe/source', '--import', 'tsx', '--watch', main],
      { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const lines: string[] = [];
    let waiter: (() => void) | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      lines.push(...chunk.split('\n').filter(Boolean));
      waiter?.();
    });
    const started = (greeting: string, count: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no "started ${greeting}" #${count}: ${lines.join(' | ')}`)),
          20_000,
        );
        waiter = () => {
          if (lines.filter((line) => line === `started ${greeting}`).length >= count) {
            clearTimeout(timer);
            resolve();
          }
        };
        waiter();
      });
    try {
      await started('first', 1);
      // What Tilt's sync does: the file is replaced in place.
      const changed = Date.now();
      await writeFile(dependency, "export const greeting: string = 'second';\n");
      await started('second', 1);
      const restartMs = Date.now() - changed;
      // The run step for a changed migration: touch the entry point.
      const touched = new Date();
      await utimes(main, touched, touched);
      await started('second', 2);
      process.stderr.write(`node --watch under tsx restarted ${restartMs} ms after the change\n`);
      expect(restartMs).toBeLessThan(10_000);
    } finally {
      child.kill();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
