/**
 * Runs inside the node's network namespace and a private mount namespace (started by
 * `startCluster` through `nsenter --net=… unshare --mount --propagation private`): puts a tmpfs
 * over every host path the node writes outside its roots, starts the node's daemons in order,
 * writes the ready file, and on SIGTERM stops them in reverse order. When this process and its
 * daemons are gone, the mount namespace and all its mounts go with them.
 */
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeBinaries } from '../binaries.js';
import { run } from '../commands.js';
import { startProcess, type ManagedProcess } from '../processes.js';
import { clusterNetwork as net, privateMountPaths, type ClusterPaths } from './layout.js';
import { controlPlaneArgs } from './node-config.js';

export interface SupervisorInput {
  paths: ClusterPaths;
  binaries: KubeBinaries;
  /** docker-archive tarball of the pause image, imported before the kubelet starts. */
  pauseArchive: string;
}

const log = (line: string) =>
  process.stdout.write(`${new Date().toISOString()} [supervisor] ${line}\n`);

async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  watched: ManagedProcess[],
  timeoutMs = 120_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const proc of watched) {
      const exit = proc.exited();
      if (exit)
        throw new Error(
          `${proc.name} exited (${exit.code ?? exit.signal}) before ${what}:\n${proc.logTail()}`,
        );
    }
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

function apiServerReady(paths: ClusterPaths): Promise<boolean> {
  const read = (file: string) => readFileSync(join(paths.pki, file));
  return new Promise((resolve) => {
    const req = request(
      `https://127.0.0.1:${net.apiServerPort}/readyz`,
      { ca: read('ca.crt'), cert: read('admin.crt'), key: read('admin.key'), timeout: 2000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

export async function supervise(input: SupervisorInput): Promise<void> {
  const { paths, binaries } = input;
  for (const path of privateMountPaths) {
    await run('mount', ['-t', 'tmpfs', '-o', 'mode=0755', 'tmpfs', path]);
  }
  log(`tmpfs over ${privateMountPaths.join(', ')}`);

  const started: ManagedProcess[] = [];
  const start = (name: string, file: string, args: readonly string[]) => {
    const proc = startProcess(name, file, args, join(paths.logs, `${name}.log`));
    started.push(proc);
    log(`${name} started (pid ${proc.pid})`);
    return proc;
  };
  let stopping = false;
  const stopAll = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    log(`stopping (${reason})`);
    for (const proc of [...started].reverse()) await proc.stop(10_000);
    log('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stopAll('SIGTERM'));
  process.on('SIGINT', () => void stopAll('SIGINT'));

  const args = controlPlaneArgs(paths);
  const etcd = start('etcd', binaries.etcd, args.etcd);
  await waitUntil(
    'etcd /health',
    async () => (await fetch(`http://127.0.0.1:${net.etcdPort}/health`)).ok,
    [etcd],
  );
  const apiserver = start('kube-apiserver', binaries['kube-apiserver'], args['kube-apiserver']);
  const containerd = start('containerd', 'containerd', [
    '--config',
    join(paths.config, 'containerd.toml'),
  ]);
  await waitUntil('kube-apiserver /readyz', () => apiServerReady(paths), [etcd, apiserver]);
  const ctr = (ctrArgs: string[]) =>
    run('ctr', ['--address', paths.containerdSocket, '--namespace', 'k8s.io', ...ctrArgs]);
  await waitUntil('containerd', async () => (await ctr(['version'])) !== undefined, [containerd]);
  // The sandbox image must be there before the first Pod: containerd would try to pull it.
  await ctr(['images', 'import', input.pauseArchive]);

  start(
    'kube-controller-manager',
    binaries['kube-controller-manager'],
    args['kube-controller-manager'],
  );
  start('kube-scheduler', binaries['kube-scheduler'], args['kube-scheduler']);
  start('kube-proxy', binaries['kube-proxy'], args['kube-proxy']);
  start('kubelet', binaries.kubelet, args.kubelet);
  await writeFile(paths.readyFile, String(process.pid));
  log('every daemon started');

  // A daemon that dies takes the node down with it: a half-working node only makes tests flaky.
  for (;;) {
    const dead = started.find((proc) => proc.exited());
    if (dead && !stopping) {
      log(`${dead.name} exited (${JSON.stringify(dead.exited())}):\n${dead.logTail()}`);
      await stopAll(`${dead.name} exited`);
    }
    await sleep(1000);
  }
}
