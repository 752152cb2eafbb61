import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot, startControlPlane, type ControlPlane } from '../src/index.js';

// A cold tool cache builds kube-apiserver from source (CI builds it before the tests).
const coldBuildMs = 45 * 60_000;

describe('control plane', () => {
  let plane: ControlPlane;

  beforeAll(async () => {
    plane = await startControlPlane();
  }, coldBuildMs);

  afterAll(async () => {
    await plane?.stop();
  });

  it('when it has started, then /readyz answers ok through kubectl', async () => {
    const { stdout } = await plane.kubectl(['get', '--raw', '/readyz']);

    expect(stdout.trim()).toBe('ok');
    expect(plane.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('when the admin lists namespaces, then the built-in ones are there (RBAC lets system:masters in)', async () => {
    const { stdout } = await plane.kubectl(['get', 'namespaces', '-o', 'name']);

    expect(stdout).toContain('namespace/default');
    expect(stdout).toContain('namespace/kube-system');
  });

  it('when the CRDs are installed, then all three are Established and served', async () => {
    const installed = await plane.installCrds();

    expect(installed.sort()).toEqual([
      'customresourcedefinition.apiextensions.k8s.io/merchants.expe.dev',
      'customresourcedefinition.apiextensions.k8s.io/sandboxes.expe.dev',
      'customresourcedefinition.apiextensions.k8s.io/webhookendpoints.expe.dev',
    ]);
    const { stdout } = await plane.kubectl(['api-resources', '--api-group=expe.dev', '-o', 'name']);
    expect(stdout.split('\n').filter(Boolean).sort()).toEqual([
      'merchants.expe.dev',
      'sandboxes.expe.dev',
      'webhookendpoints.expe.dev',
    ]);
  });

  it('when helm runs against it, then it reaches the same API server', async () => {
    const { stdout } = await plane.helm(['list', '--all-namespaces', '-o', 'json']);

    expect(JSON.parse(stdout)).toEqual([]);
  });
});

describe('stopping the control plane', () => {
  it(
    'when stop() is called, then the API server is gone and its files are removed',
    async () => {
      const plane = await startControlPlane();
      const dir = dirname(plane.kubeconfigPath);

      await plane.stop();

      expect(existsSync(dir)).toBe(false);
      const probe = await fetch(`${plane.server}/readyz`).then(
        () => 'answered',
        () => 'refused',
      );
      expect(probe).toBe('refused');
    },
    coldBuildMs,
  );
});

function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('a test process that dies', () => {
  it(
    'when it is killed with SIGKILL, then etcd and kube-apiserver die too and the temp dir goes',
    async () => {
      const holder = spawn(
        process.execPath,
        [
          '--conditions=@expe/source',
          '--import',
          'tsx',
          join(import.meta.dirname, 'fixtures', 'hold-control-plane.ts'),
        ],
        { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const started = await new Promise<{ pids: { etcd: number; apiserver: number }; dir: string }>(
        (resolve, reject) => {
          let output = '';
          holder.stdout.on('data', (chunk: Buffer) => {
            output += chunk.toString();
            if (output.includes('\n')) resolve(JSON.parse(output));
          });
          holder.on('exit', (code) => reject(new Error(`holder exited early with ${code}`)));
        },
      );
      expect(isAlive(started.pids.apiserver)).toBe(true);
      expect(isAlive(started.pids.etcd)).toBe(true);

      holder.kill('SIGKILL');

      const deadline = Date.now() + 20_000;
      while (
        Date.now() < deadline &&
        (isAlive(started.pids.apiserver) || isAlive(started.pids.etcd) || existsSync(started.dir))
      ) {
        await sleep(250);
      }
      expect(isAlive(started.pids.apiserver)).toBe(false);
      expect(isAlive(started.pids.etcd)).toBe(false);
      expect(existsSync(started.dir)).toBe(false);
    },
    coldBuildMs,
  );
});
