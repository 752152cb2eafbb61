/**
 * `node --conditions=@expe/source --import tsx packages/kube-harness/src/cli.ts <command>`
 *   build   build (or find) the Kubernetes commands, etcd, helm and CoreDNS, then the cluster's
 *           OpenTelemetry Collector and Prometheus; prints their paths
 *   paths   print the cached paths without building
 *   env     print `export PATH=…` putting the cached tools first (eval "$(… env)")
 */
import { dirname } from 'node:path';
import { ensureKubeBinaries, toolsDirectory, ToolchainError } from './binaries.js';
import { ensureObservabilityBinaries, observabilityVersions } from './observability-tools.js';
import { toolNames, toolVersions } from './versions.js';
import { join } from 'node:path';

const out = (line: string) => process.stdout.write(`${line}\n`);

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case 'build': {
      const started = Date.now();
      const binaries = await ensureKubeBinaries({
        log: (line) => process.stderr.write(`[kube-harness] ${line}\n`),
      });
      for (const name of toolNames) out(`${name}\t${binaries[name]}`);
      process.stderr.write(
        `[kube-harness] kubernetes ${toolVersions.kubernetes}, etcd ${toolVersions.etcd}, helm ${toolVersions.helm}, coredns ${toolVersions.coredns} ready in ${Math.round((Date.now() - started) / 1000)}s\n`,
      );
      const observabilityStarted = Date.now();
      const observability = await ensureObservabilityBinaries({
        log: (line) => process.stderr.write(`[kube-harness] ${line}\n`),
      });
      for (const [name, path] of Object.entries(observability)) out(`${name}\t${path}`);
      process.stderr.write(
        `[kube-harness] otelcol ${observabilityVersions.otelcol}, prometheus ${observabilityVersions.prometheus} ready in ${Math.round((Date.now() - observabilityStarted) / 1000)}s\n`,
      );
      return 0;
    }
    case 'paths':
      for (const name of toolNames) out(`${name}\t${join(toolsDirectory(), 'bin', name)}`);
      return 0;
    case 'env': {
      const binaries = await ensureKubeBinaries();
      out(`export PATH="${dirname(binaries.helm)}:$PATH"`);
      return 0;
    }
    default:
      process.stderr.write('usage: cli.ts build | paths | env\n');
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message =
      error instanceof ToolchainError ? error.message : String((error as Error).stack ?? error);
    process.stderr.write(`[kube-harness] ${message}\n`);
    process.exit(1);
  },
);
