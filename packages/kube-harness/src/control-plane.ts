import { request } from 'node:https';
import { createServer } from 'node:net';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureKubeBinaries, type EnsureOptions, type KubeBinaries } from './binaries.js';
import { toolSets } from './versions.js';
import { generateCertificates, type ControlPlaneCertificates } from './certificates.js';
import { run, type CommandResult, type RunOptions } from './commands.js';
import { crdDirectory } from './paths.js';
import { startProcess, type ManagedProcess } from './processes.js';

export interface ControlPlane {
  /** A kubeconfig for the admin user (system:masters), context `expe-harness`. */
  kubeconfigPath: string;
  /** `https://127.0.0.1:<port>` */
  server: string;
  binaries: KubeBinaries;
  /** The admin's credentials, for clients that do not read kubeconfig files. */
  credentials: { caCert: string; clientCert: string; clientKey: string };
  /** kubectl against this API server; rejects with a CommandError carrying stderr on failure. */
  kubectl(args: readonly string[], options?: RunOptions): Promise<CommandResult>;
  /** helm against this API server, with its cache and config kept in the temp dir. */
  helm(args: readonly string[], options?: RunOptions): Promise<CommandResult>;
  /** Applies CRD files or directories (default: the operator chart's crds/) and waits until Established. */
  installCrds(paths?: readonly string[]): Promise<string[]>;
  /** Process ids of etcd and kube-apiserver (for tests of the harness itself). */
  pids: { etcd: number | undefined; apiserver: number | undefined };
  /** Environment that points kubectl and helm at this control plane (KUBECONFIG, HELM_*). */
  env: NodeJS.ProcessEnv;
  /** Stops the API server and etcd and removes every file the control plane wrote. */
  stop(): Promise<void>;
}

export interface StartOptions extends EnsureOptions {
  /** How long to wait for /readyz. Default 90 s (two cores, cold caches). */
  readyTimeoutMs?: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('could not pick a free port');
  return address.port;
}

function get(url: string, certs: ControlPlaneCertificates, timeoutMs = 2000) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      url,
      { ca: certs.caCert, cert: certs.adminCert, key: certs.adminKey, timeout: timeoutMs },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  processes: ManagedProcess[],
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const proc of processes) {
      const exit = proc.exited();
      if (exit) {
        throw new Error(
          `${proc.name} exited (code ${exit.code}, signal ${exit.signal}) while waiting for ${what}:\n${proc.logTail()}`,
        );
      }
    }
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) {
      const logs = processes.map((proc) => `--- ${proc.name}\n${proc.logTail()}`).join('\n');
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${logs}`);
    }
    await sleep(250);
  }
}

function kubeconfig(server: string, certs: ControlPlaneCertificates): string {
  const b64 = (pem: string) => Buffer.from(pem).toString('base64');
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'expe-harness',
          cluster: { server, 'certificate-authority-data': b64(certs.caCert) },
        },
      ],
      users: [
        {
          name: 'expe-admin',
          user: {
            'client-certificate-data': b64(certs.adminCert),
            'client-key-data': b64(certs.adminKey),
          },
        },
      ],
      contexts: [
        {
          name: 'expe-harness',
          context: { cluster: 'expe-harness', user: 'expe-admin', namespace: 'default' },
        },
      ],
      'current-context': 'expe-harness',
    },
    null,
    2,
  );
}

/**
 * Starts etcd and kube-apiserver on free loopback ports with fresh certificates and data, the
 * way controller-runtime's envtest does: a real API server (admission, CEL, RBAC, server-side
 * dry-run) without nodes, so no Pod ever runs.
 */
export async function startControlPlane(options: StartOptions = {}): Promise<ControlPlane> {
  const binaries = await ensureKubeBinaries({ tools: toolSets.tests, ...options });
  const dir = await mkdtemp(join(tmpdir(), 'expe-kube-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeDir);
  const started: ManagedProcess[] = [];
  const stopAll = async () => {
    for (const proc of [...started].reverse()) await proc.stop();
    await rm(dir, { recursive: true, force: true });
    process.removeListener('exit', removeDir);
  };

  try {
    const certs = await generateCertificates(await mkdirIn(dir, 'pki'));
    const etcdClientPort = await freePort();
    const etcdPeerPort = await freePort();
    const etcdUrl = `http://127.0.0.1:${etcdClientPort}`;
    const peerUrl = `http://127.0.0.1:${etcdPeerPort}`;
    const etcd = startProcess(
      'etcd',
      binaries.etcd,
      [
        '--name=harness',
        `--data-dir=${join(dir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=harness=${peerUrl}`,
        // Test data is thrown away: fsync only slows every write down.
        '--unsafe-no-fsync=true',
        '--log-level=warn',
      ],
      join(dir, 'etcd.log'),
      dir,
    );
    started.push(etcd);
    await waitFor(
      'etcd /health',
      async () => (await fetch(`${etcdUrl}/health`)).ok,
      [etcd],
      30_000,
    );

    const port = await freePort();
    const server = `https://127.0.0.1:${port}`;
    const pki = join(dir, 'pki');
    const apiserver = startProcess(
      'kube-apiserver',
      binaries['kube-apiserver'],
      [
        `--etcd-servers=${etcdUrl}`,
        `--secure-port=${port}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--cert-dir=${join(dir, 'apiserver')}`,
        `--tls-cert-file=${join(pki, 'serving.crt')}`,
        `--tls-private-key-file=${join(pki, 'serving.key')}`,
        `--client-ca-file=${join(pki, 'ca.crt')}`,
        `--service-account-issuer=${server}`,
        `--service-account-key-file=${certs.serviceAccountPublicKey}`,
        `--service-account-signing-key-file=${certs.serviceAccountKey}`,
        // Only an address range to allocate ClusterIPs from; nothing routes there.
        '--service-cluster-ip-range=10.0.0.0/24',
        '--authorization-mode=RBAC',
        '--allow-privileged=true',
        // No controller-manager creates service-account tokens here, as in envtest.
        '--disable-admission-plugins=ServiceAccount',
        '--profiling=false',
        '--v=0',
      ],
      join(dir, 'kube-apiserver.log'),
    );
    started.push(apiserver);
    await waitFor(
      'kube-apiserver /readyz',
      async () => {
        const { status, body } = await get(`${server}/readyz`, certs);
        return status === 200 && body.trim() === 'ok';
      },
      [etcd, apiserver],
      options.readyTimeoutMs ?? 90_000,
    );

    const kubeconfigPath = join(dir, 'kubeconfig');
    await writeFile(kubeconfigPath, kubeconfig(server, certs), { mode: 0o600 });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KUBECONFIG: kubeconfigPath,
      HELM_CACHE_HOME: join(dir, 'helm', 'cache'),
      HELM_CONFIG_HOME: join(dir, 'helm', 'config'),
      HELM_DATA_HOME: join(dir, 'helm', 'data'),
    };
    const withEnv = (options: RunOptions = {}): RunOptions => ({
      ...options,
      env: { ...env, ...options.env },
    });
    const kubectl = (args: readonly string[], options?: RunOptions) =>
      run(binaries.kubectl, [`--kubeconfig=${kubeconfigPath}`, ...args], withEnv(options));
    const helm = (args: readonly string[], options?: RunOptions) =>
      run(binaries.helm, [...args], withEnv(options));

    return {
      kubeconfigPath,
      server,
      binaries,
      pids: { etcd: etcd.pid, apiserver: apiserver.pid },
      credentials: { caCert: certs.caCert, clientCert: certs.adminCert, clientKey: certs.adminKey },
      env,
      kubectl,
      helm,
      async installCrds(paths = [crdDirectory]) {
        const names: string[] = [];
        for (const path of paths) {
          const { stdout } = await kubectl(['apply', '--server-side', '-o', 'name', '-f', path]);
          names.push(...stdout.split('\n').filter((line) => line.trim() !== ''));
        }
        if (names.length > 0) {
          await kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...names]);
        }
        return names;
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function mkdirIn(parent: string, name: string): Promise<string> {
  const path = join(parent, name);
  await mkdir(path, { recursive: true });
  return path;
}
