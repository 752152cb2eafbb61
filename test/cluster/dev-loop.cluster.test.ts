import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { repositoryRoot, run } from '@expe/kube-harness';
import { cluster, waitFor } from './support.js';

/**
 * The Tiltfile's built-in-cluster mode, the parts Tilt would drive, on the real node: the
 * custom_build command the Tiltfile runs (`cluster-cli.ts dev-image "$EXPECTED_REF"`) leaves the
 * dev image in the node's containerd under the reference Tilt asks for; a Pod runs it with
 * imagePullPolicy Never, as uid 1000, in a namespace enforcing the restricted Pod Security
 * Standard (as the Tiltfile's expe-dev does), under `node --import tsx --watch` as the services'
 * entrypoints do; and Tilt's live-update sync — a tar stream extracted through `kubectl exec` —
 * of a changed module restarts the process with the new code. The round trip is measured.
 * Tilt itself is not here (docs/kubernetes.md, "The dev loop").
 */
const devNamespace = 'expe-dev-loop';
const ref = `expe-gateway:tilt-${Date.now().toString(36)}`;
const pod = 'live-update-probe';
let syncDir: string;

const source = (greeting: string) =>
  `export const greeting: string = '${greeting}';\n`.replaceAll("'", "'\\''");

beforeAll(async () => {
  syncDir = await mkdtemp(join(tmpdir(), 'dev-loop-'));
  // Exactly the Tiltfile's custom_build command, with Tilt's $EXPECTED_REF.
  await run(
    'sh',
    [
      '-c',
      'node --conditions=@expe/source --import tsx packages/kube-harness/src/cluster-cli.ts dev-image "$EXPECTED_REF"',
    ],
    { cwd: repositoryRoot, env: { ...process.env, EXPECTED_REF: ref } },
  );
}, 900_000);

afterAll(async () => {
  const { kubectl } = await cluster();
  await kubectl(['delete', 'namespace', devNamespace, '--ignore-not-found', '--wait=false']);
  if (syncDir) await rm(syncDir, { recursive: true, force: true });
});

describe('the dev loop on the built-in cluster', () => {
  it('when the custom_build command has run, then the node has the dev image under the reference Tilt asked for', async () => {
    const { ctr } = await cluster();
    const images = (await ctr(['images', 'list', '--quiet'])).stdout.split('\n');
    expect(images).toContain(`docker.io/library/${ref}`);
  });

  it('when a changed module is synced into the running container as Tilt does, then node --watch restarts it with the new code within 10 s', async () => {
    const { kubectl } = await cluster();
    const restricted = {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    };
    const start = [
      'mkdir -p /app/probe',
      `printf '%s' '${source('first')}' > /app/probe/greeting.ts`,
      `printf '%s\\n' "import { greeting } from './greeting.ts';" 'console.log("started " + greeting);' 'setInterval(() => {}, 1000);' > /app/probe/main.ts`,
      'exec node --conditions=@expe/source --import tsx --watch /app/probe/main.ts',
    ].join(' && ');
    await kubectl(['apply', '-f', '-'], {
      input: [
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name: devNamespace,
            labels: {
              'pod-security.kubernetes.io/enforce': 'restricted',
              'pod-security.kubernetes.io/warn': 'restricted',
            },
          },
        },
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: pod, namespace: devNamespace },
          spec: {
            securityContext: { runAsUser: 1000, runAsGroup: 1000 },
            containers: [
              {
                name: 'app',
                image: ref,
                imagePullPolicy: 'Never',
                command: ['sh', '-c', start],
                securityContext: restricted,
              },
            ],
          },
        },
      ]
        .map((object) => stringify(object))
        .join('---\n'),
    });
    const logs = async () => (await kubectl(['-n', devNamespace, 'logs', pod])).stdout;
    await waitFor('the probe to start', async () => (await logs()).includes('started first'));
    expect((await kubectl(['-n', devNamespace, 'exec', pod, '--', 'id', '-u'])).stdout.trim()).toBe(
      '1000',
    );

    await writeFile(join(syncDir, 'greeting.ts'), "export const greeting: string = 'second';\n");
    const tar = (await run('tar', ['-c', '-C', syncDir, 'greeting.ts'])).stdout;
    const synced = Date.now();
    await kubectl(['-n', devNamespace, 'exec', '-i', pod, '--', 'tar', '-x', '-C', '/app/probe'], {
      input: tar,
    });
    await waitFor(
      'the restarted process',
      async () => (await logs()).includes('started second'),
      30_000,
      200,
    );
    const roundTripMs = Date.now() - synced;
    process.stderr.write(`[dev-loop] sync + restart round trip ${roundTripMs} ms\n`);
    expect(await logs()).toContain("Restarting '/app/probe/main.ts'");
    expect(roundTripMs).toBeLessThan(10_000);
  });
});
