import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { repositoryRoot, run } from '@expe/kube-harness';
import {
  buildTiltSimulator,
  type Declared,
  type DeclaredImage,
  type LiveUpdateStep,
} from '../support/tilt-simulator.js';
import { apiClient, cluster, kubectlJson, preparedCharts, psqlIn, waitFor } from './support.js';

/**
 * `tilt up` on the built-in cluster, as far as it can be had without Tilt (issue 24): the
 * Tiltfile is evaluated by test/tilt-sim (go.starlark.net with Tilt's documented API), and this
 * test then does what Tilt's engine would do with what it declared, on the real node:
 *
 * - runs the local resources the workloads wait for (`data-images`) and every image's
 *   `custom_build` command with Tilt's `$EXPECTED_REF`;
 * - renders every `k8s_yaml` source in order (files, and `helm()` calls as `helm template` with
 *   the recorded values and sets), injects the built references into the containers whose image
 *   is one Tilt builds and their `entrypoint` as the container command, as Tilt does, and applies
 *   the result;
 * - waits until every workload is available: the whole platform and the operator, each started
 *   from the dev image under `node --import tsx --watch`;
 * - performs the gateway's live update exactly as its steps declare (a changed file under a
 *   `sync` source, as a tar stream extracted through `kubectl exec`) and measures how long until
 *   the new behaviour answers through the gateway's Service;
 * - performs payments' migration step: a new migration synced, the `run` step its trigger
 *   matches executed in the container, and the service restarted with it applied.
 *
 * What remains Tilt's own (file watching, its apply and port forwards) is listed in
 * docs/kubernetes.md, "The dev loop".
 */
const context = 'expe-cluster';
const tag = `tilt-${Date.now().toString(36)}`;

let declared: Declared;
let namespace: string;
let renderedClusterScoped: string;
let charts: { dir: string; remove: () => Promise<void> };
let syncDir: string;

/** The reference Tilt would give an image it built: its name, tagged for this build. */
const builtRef = (image: DeclaredImage) => `${image.ref}:${tag}`;

/** Tilt's image matching: a container runs an image Tilt builds when the repository names it. */
function builtImageFor(images: DeclaredImage[], containerImage: string) {
  const repository = containerImage.replace(/:[^:/]+$/, '').replace(/^docker\.io\/library\//, '');
  return images.find((image) => image.ref === repository);
}

/**
 * Every `k8s_yaml` source in the Tiltfile's order, each with the namespace Tilt deploys it to: a
 * `helm()` call's objects go to its namespace (Tilt sets it where the chart leaves it out, as
 * `helm template` does), a file's objects where they say.
 */
async function renderSources(d: Declared): Promise<{ namespace?: string; objects: any[] }[]> {
  const { helm } = await cluster();
  const sources: { namespace?: string; objects: any[] }[] = [];
  for (const source of d.k8sYaml) {
    let text: string;
    let namespace: string | undefined;
    if (source.file !== undefined) {
      text = await readFile(join(repositoryRoot, source.file), 'utf8');
    } else {
      const call = d.helm[source.helm!]!;
      namespace = call.namespace;
      const chartDir = join(charts.dir, relative('charts', call.pathToChartDir));
      text = (
        await helm([
          'template',
          call.name,
          chartDir,
          '--namespace',
          call.namespace,
          ...call.values.flatMap((file) => ['--values', join(repositoryRoot, file)]),
          ...call.set.flatMap((entry) => ['--set', entry]),
        ])
      ).stdout;
    }
    const objects: any[] = [];
    // YAML 1.1, as kubectl reads it (an unquoted `on` or `yes` is a boolean there).
    for (const document of parseAllDocuments(text, { version: '1.1' })) {
      const object = document.toJS();
      if (object?.kind) objects.push(object);
    }
    sources.push({ namespace, objects });
  }
  return sources;
}

/** Objects as one JSON List for kubectl: JSON has no YAML 1.1/1.2 ambiguity to lose on the way. */
const asList = (objects: unknown[]) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });

/** What Tilt does to a rendered object before applying it: its images and entrypoints. */
function injectBuiltImages(object: any, images: DeclaredImage[]): void {
  const pod = object.spec?.template?.spec ?? object.spec?.jobTemplate?.spec?.template?.spec;
  if (!pod) return;
  for (const container of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
    const image = builtImageFor(images, container.image);
    if (!image) continue;
    container.image = builtRef(image);
    if (image.args.entrypoint) {
      container.command = image.args.entrypoint;
      delete container.args;
    }
  }
}

async function podOf(deployment: string): Promise<string> {
  const { kubectl } = await cluster();
  const selector = (await kubectlJson(['-n', namespace, 'get', 'deployment', deployment])).spec
    .selector.matchLabels as Record<string, string>;
  const labels = Object.entries(selector)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  const pods = JSON.parse(
    (
      await kubectl([
        '-n',
        namespace,
        'get',
        'pods',
        '-l',
        labels,
        '--field-selector=status.phase=Running',
        '-o',
        'json',
      ])
    ).stdout,
  ).items as { metadata: { name: string } }[];
  if (pods.length !== 1) throw new Error(`${deployment}: ${pods.length} running Pods, want 1`);
  return pods[0]!.metadata.name;
}

/** Tilt's sync: the changed files, relative to the step's local path, as tar through exec. */
async function sync(deployment: string, step: LiveUpdateStep, files: Record<string, string>) {
  if (step.step !== 'sync') throw new Error(`not a sync step: ${step.step}`);
  const staging = join(syncDir, step.local_path);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(staging, path)), { recursive: true });
    await writeFile(join(staging, path), content);
  }
  // Text files only (UTF-8), so the archive passes through as a string, as in dev-loop.
  const archive = (await run('tar', ['-c', '-C', staging, ...Object.keys(files)])).stdout;
  const { kubectl } = await cluster();
  await kubectl(
    [
      '-n',
      namespace,
      'exec',
      '-i',
      await podOf(deployment),
      '--',
      'tar',
      '-x',
      '-C',
      step.remote_path,
    ],
    { input: archive },
  );
}

async function logsOf(deployment: string): Promise<string> {
  const { kubectl } = await cluster();
  const { stdout, stderr } = await kubectl(
    ['-n', namespace, 'logs', `deployment/${deployment}`, '--tail=80'],
    { allowFailure: true },
  );
  return stdout || stderr;
}

function liveUpdate(image: string): LiveUpdateStep[] {
  const found = declared.images.find((candidate) => candidate.ref === image);
  if (!found) throw new Error(`the Tiltfile builds no image ${image}`);
  return found.liveUpdate;
}

function syncStep(image: string, localPath: string): LiveUpdateStep {
  const step = liveUpdate(image).find(
    (candidate) => candidate.step === 'sync' && candidate.local_path === localPath,
  );
  if (!step) throw new Error(`${image} has no live_update sync of ${localPath}`);
  return step;
}

async function gatewayUrl(): Promise<string> {
  const service = await kubectlJson(['-n', namespace, 'get', 'service', 'expe-gateway']);
  return `http://${service.spec.clusterIP}:${service.spec.ports[0].port}`;
}

const psql = (sql: string) => psqlIn(namespace, declared.helm[0]!.name)(sql);

beforeAll(async () => {
  syncDir = await mkdtemp(join(tmpdir(), 'tilt-up-'));
  const simulator = await buildTiltSimulator();
  try {
    declared = await simulator.declared(context);
  } finally {
    await simulator.remove();
  }
  namespace = declared.helm[0]!.namespace;
  charts = await preparedCharts();

  // Tilt runs the local resources and builds every image before it applies what uses them.
  const shell = (command: string, env: NodeJS.ProcessEnv = {}) =>
    run('sh', ['-c', command], { cwd: repositoryRoot, env: { ...process.env, ...env } });
  // Only the local resources a workload waits for (data-images); the others, such as the
  // typecheck resource, run beside the deploy in Tilt and gate nothing.
  const awaited = new Set(
    declared.k8sResources.flatMap((resource) => resource.resource_deps ?? []),
  );
  for (const resource of declared.localResources) {
    if (awaited.has(resource.name)) await shell(resource.cmd);
  }
  for (const image of declared.images) {
    expect(image.builder, image.ref).toBe('custom_build');
    await shell(String(image.args.command), { EXPECTED_REF: builtRef(image) });
  }

  const sources = await renderSources(declared);
  const objects = sources.flatMap((source) => source.objects);
  for (const object of objects) injectBuiltImages(object, declared.images);
  const clusterScoped = objects.filter(
    (object) =>
      !object.metadata?.namespace && ['ClusterRole', 'ClusterRoleBinding'].includes(object.kind),
  );
  renderedClusterScoped = asList(clusterScoped);
  const { kubectl } = await cluster();
  for (const source of sources) {
    await kubectl(
      ['apply', ...(source.namespace ? ['--namespace', source.namespace] : []), '-f', '-'],
      { input: asList(source.objects) },
    );
  }
  await waitFor(
    'every workload Tilt deploys to be available',
    async () => {
      const deployments = (await kubectlJson(['-n', namespace, 'get', 'deployments']))
        .items as any[];
      const names = new Set(deployments.map((deployment) => deployment.metadata.name));
      const expected = declared.k8sResources.map((resource) => resource.workload);
      if (
        !expected
          .filter((name) => name !== 'expe-postgresql' && name !== 'expe-redis')
          .every((name) => names.has(name))
      )
        return false;
      return deployments.every(
        (deployment) =>
          (deployment.status.availableReplicas ?? 0) === deployment.spec.replicas &&
          deployment.status.observedGeneration >= deployment.metadata.generation,
      );
    },
    900_000,
    2_000,
  );
}, 1_800_000);

afterAll(async () => {
  const { kubectl } = await cluster();
  if (namespace) {
    await kubectl(['delete', 'namespace', namespace, '--ignore-not-found', '--timeout=300s']);
  }
  if (renderedClusterScoped) {
    await kubectl(['delete', '--ignore-not-found', '-f', '-'], { input: renderedClusterScoped });
  }
  await charts?.remove();
  if (syncDir) await rm(syncDir, { recursive: true, force: true });
}, 600_000);

describe('tilt up on the built-in cluster, as the Tiltfile declares it', () => {
  it('when every image comes from custom_build, then every workload runs the dev image under node --watch and the platform answers through the gateway', async () => {
    const deployments = (await kubectlJson(['-n', namespace, 'get', 'deployments'])).items as any[];
    const built = new Set(declared.images.map(builtRef));
    for (const deployment of deployments) {
      for (const container of deployment.spec.template.spec.containers) {
        if (!container.image.startsWith('expe-')) continue;
        expect(built.has(container.image), `${deployment.metadata.name}: ${container.image}`).toBe(
          true,
        );
      }
    }
    const gateway = deployments.find((d) => d.metadata.name === 'expe-gateway');
    expect(gateway.spec.template.spec.containers[0].command).toContain('--watch');

    const api = apiClient(await gatewayUrl());
    const email = `tilt-${tag}@example.com`;
    const registered = await api('POST', '/auth/register', {
      body: { email, password: 'correct horse battery staple', name: 'Tilt Up' },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  });

  it('when a gateway source changes, then the live update syncs it and the gateway answers with the new code', async () => {
    // The gateway's own answer to a /v1 path no service owns (app.ts).
    const file = 'app.ts';
    const original = await readFile(join(repositoryRoot, 'services/gateway/src', file), 'utf8');
    const marker = `live update ${tag}`;
    const changed = original.replaceAll(
      'Unrecognized request URL (',
      `Unrecognized request URL [${marker}] (`,
    );
    expect(changed, `${file} no longer holds the not-found message this test edits`).not.toBe(
      original,
    );
    const api = apiClient(await gatewayUrl());
    const probe = '/tilt-live-update-probe';
    const before = JSON.stringify((await api('GET', probe)).body);
    expect(before).toContain('Unrecognized request URL (GET: /tilt-live-update-probe)');

    const started = Date.now();
    await sync('expe-gateway', syncStep('expe-gateway', 'services/gateway/src'), {
      [file]: changed,
    });
    await waitFor(
      'the gateway to answer with the synced code',
      async () => JSON.stringify((await api('GET', probe)).body).includes(marker),
      120_000,
      200,
    ).catch(async (error: Error) => {
      throw new Error(
        `${error.message}\n--- the gateway's log ---\n${await logsOf('expe-gateway')}`,
      );
    });
    const roundTripMs = Date.now() - started;
    process.stderr.write(`[tilt-up] gateway live update: sync to new answer ${roundTripMs} ms\n`);
    // Not a Pod restart: the same container, restarted in place by node --watch.
    const pod = await kubectlJson(['-n', namespace, 'get', 'pod', await podOf('expe-gateway')]);
    expect(pod.status.containerStatuses[0].restartCount).toBe(0);
  });

  it('when a migration is added, then it is synced, the run step restarts payments and the migration is applied', async () => {
    const folder = 'services/payments/migrations';
    const steps = liveUpdate('expe-payments');
    const runStep = steps.find(
      (step): step is Extract<LiveUpdateStep, { step: 'run' }> =>
        step.step === 'run' && step.trigger.includes(folder),
    );
    expect(runStep, 'a run step triggered by the migrations').toBeDefined();

    const journal = JSON.parse(
      await readFile(join(repositoryRoot, folder, 'meta/_journal.json'), 'utf8'),
    ) as { entries: { idx: number; when: number; tag: string }[] };
    const last = journal.entries.at(-1)!;
    const migrationTag = `${String(last.idx + 1).padStart(4, '0')}_tilt_live_update_probe`;
    journal.entries.push({
      ...last,
      idx: last.idx + 1,
      when: Math.max(...journal.entries.map((entry) => entry.when)) + 1,
      tag: migrationTag,
    });
    const table = `tilt_probe_${tag.replace(/\W/g, '_')}`;
    expect(await psql(`select count(*) from pg_tables where tablename = '${table}'`)).toBe('0');

    await sync('expe-payments', syncStep('expe-payments', folder), {
      [`${migrationTag}.sql`]: `CREATE TABLE payments.${table} (id integer);\n`,
      'meta/_journal.json': `${JSON.stringify(journal, null, 2)}\n`,
    });
    const { kubectl } = await cluster();
    const command = Array.isArray(runStep!.cmd) ? runStep!.cmd : ['sh', '-c', runStep!.cmd];
    await kubectl(['-n', namespace, 'exec', await podOf('expe-payments'), '--', ...command]);

    await waitFor(
      'payments to restart and apply the synced migration',
      async () =>
        (await psql(`select count(*) from pg_tables where tablename = '${table}'`)) === '1',
      180_000,
      500,
    );
  });
});
