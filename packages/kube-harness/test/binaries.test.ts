import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ToolchainError,
  ensureKubeBinaries,
  etcdWrapperGoMod,
  missingKubeTools,
  findGo,
  kubernetesWrapperGoMod,
  stagingVersion,
  toolSets,
  toolsDirectory,
  versionKey,
  withFileLock,
  type ToolName,
} from '../src/index.js';

const upstreamKubernetesGoMod = `module k8s.io/kubernetes

go 1.24.0

godebug default=go1.24

require (
	k8s.io/api v0.0.0
	github.com/spf13/cobra v1.9.1
)

replace (
	k8s.io/api => ./staging/src/k8s.io/api
	k8s.io/client-go => ./staging/src/k8s.io/client-go
	k8s.io/cri-api => ./staging/src/k8s.io/cri-api
)
`;

describe('wrapper modules', () => {
  it('when k8s.io/kubernetes points at staging folders, then each is replaced by its v0 tag', () => {
    const goMod = kubernetesWrapperGoMod(upstreamKubernetesGoMod, 'v1.34.4');

    expect(goMod).toContain('require k8s.io/kubernetes v1.34.4');
    expect(goMod).toContain('\tk8s.io/api => k8s.io/api v0.34.4');
    expect(goMod).toContain('\tk8s.io/client-go => k8s.io/client-go v0.34.4');
    expect(goMod).toContain('\tk8s.io/cri-api => k8s.io/cri-api v0.34.4');
    expect(goMod).toContain('go 1.24.0');
    expect(goMod).toContain('godebug default=go1.24');
    expect(goMod).not.toContain('staging/src');
  });

  it('when the upstream go.mod has no staging replaces, then generating the wrapper fails clearly', () => {
    expect(() => kubernetesWrapperGoMod('module k8s.io/kubernetes\n', 'v1.34.4')).toThrow(
      /lists no staging modules/,
    );
  });

  it('when etcd is wrapped, then the server module is required at the pinned tag', () => {
    const goMod = etcdWrapperGoMod('module go.etcd.io/etcd/server/v3\n\ngo 1.26.0\n', 'v3.5.35');

    expect(goMod).toContain('require go.etcd.io/etcd/server/v3 v3.5.35');
    expect(goMod).toContain('go 1.26.0');
  });

  it('when a release version is given, then the staging tag is v0 of the same minor and patch', () => {
    expect(stagingVersion('v1.34.4')).toBe('v0.34.4');
    expect(() => stagingVersion('1.34')).toThrow(/not a Kubernetes release/);
  });
});

describe('tool cache', () => {
  it('when EXPE_TOOLS_DIR is given, then the binaries live under it in a folder per version set', () => {
    expect(toolsDirectory('/opt/tools')).toBe(join('/opt/tools', versionKey()));
    expect(versionKey()).toMatch(
      /^kubernetes-v1\.\d+\.\d+_etcd-v3\.5\.\d+_helm-v3\.\d+\.\d+_coredns-v1\.\d+\.\d+$/,
    );
  });

  it('when no Go toolchain can be found, then a ToolchainError says how to get one', async () => {
    const error = await findGo(['/nonexistent/bin/go']).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ToolchainError);
    expect((error as Error).message).toMatch(/Go toolchain was not found.*install Go/s);
  });
});

describe('tool sets', () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** A cache holding executables for `tools` only. */
  async function cacheWith(tools: readonly ToolName[]): Promise<string> {
    root = await mkdtemp(join(tmpdir(), 'expe-tools-'));
    const bin = join(toolsDirectory(root), 'bin');
    await mkdir(bin, { recursive: true });
    for (const tool of tools) {
      await writeFile(join(bin, tool), '#!/bin/sh\n');
      await chmod(join(bin, tool), 0o755);
    }
    return root;
  }

  it("when the tests' tools are cached, then npm test's set is ready without the cluster's", async () => {
    const toolsDir = await cacheWith(toolSets.tests);

    // Resolves from the cache: had it tried to build the node's commands, it would have run Go.
    const binaries = await ensureKubeBinaries({ toolsDir, tools: toolSets.tests, log: () => {} });

    expect(binaries['kube-apiserver']).toBe(
      join(toolsDirectory(toolsDir), 'bin', 'kube-apiserver'),
    );
    expect(await missingKubeTools({ toolsDir, tools: toolSets.tests })).toEqual([]);
  });

  it("when only the tests' tools are cached, then the cluster's set (the default) still lacks the node's", async () => {
    const toolsDir = await cacheWith(toolSets.tests);

    const expected = [
      'kubelet',
      'kube-scheduler',
      'kube-controller-manager',
      'kube-proxy',
      'coredns',
    ];
    expect(await missingKubeTools({ toolsDir, tools: toolSets.cluster })).toEqual(expected);
    expect(await missingKubeTools({ toolsDir })).toEqual(expected);
  });
});

describe('withFileLock', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('when two builders want the lock at once, then they run one after the other', async () => {
    dir = await mkdtemp(join(tmpdir(), 'expe-lock-'));
    const lock = join(dir, 'lock');
    const events: string[] = [];
    const worker = (name: string) =>
      withFileLock(lock, async () => {
        events.push(`${name} start`);
        await sleep(100);
        events.push(`${name} end`);
      });

    await Promise.all([worker('a'), worker('b')]);

    expect(events).toHaveLength(4);
    expect(events[0]?.replace(/^. /, '')).toBe('start');
    expect(events[1]).toBe(events[0]?.replace('start', 'end'));
  });

  it('when the lock was left by a process that died, then it is taken over', async () => {
    dir = await mkdtemp(join(tmpdir(), 'expe-lock-'));
    const lock = join(dir, 'lock');
    await mkdir(lock);
    // No process can have this pid (above the kernel's pid_max).
    await writeFile(join(lock, 'pid'), '999999999');

    const owner = await withFileLock(lock, async () => readFile(join(lock, 'pid'), 'utf8'));

    expect(owner).toBe(String(process.pid));
  });
});
