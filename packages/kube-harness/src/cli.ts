/**
 * `node --conditions=@expe/source --import tsx packages/kube-harness/src/cli.ts <command>`
 *   build [cluster|tests]
 *           build (or find) the tools and print their paths. `cluster` (the default): the
 *           Kubernetes commands, etcd, helm and CoreDNS, then the cluster's OpenTelemetry
 *           Collector and Prometheus. `tests`: only what `npm test` needs (etcd, kube-apiserver,
 *           kubectl, helm), so CI can build the rest while the tests run
 *   paths   print the cached paths without building
 *   env     print `export PATH=…` putting the cached tools first (eval "$(… env)")
 */
import { dirname } from 'node:path';
import { ensureKubeBinaries, toolsDirectory, ToolchainError } from './binaries.js';
import { ensureObservabilityBinaries, observabilityVersions } from './observability-tools.js';
import { toolNames, toolSets, toolVersions, type ToolSet } from './versions.js';
import { join } from 'node:path';

const out = (line: string) => process.stdout.write(`${line}\n`);

function isToolSet(name: string): name is ToolSet {
  return Object.hasOwn(toolSets, name);
}

async function main(command: string | undefined, set = 'cluster'): Promise<number> {
  switch (command) {
    case 'build': {
      if (!isToolSet(set)) {
        process.stderr.write(
          `usage: cli.ts build [${Object.keys(toolSets).join('|')}] (got ${JSON.stringify(set)})\n`,
        );
        return 2;
      }
      const started = Date.now();
      const tools = toolSets[set];
      const binaries = await ensureKubeBinaries({
        tools,
        log: (line) => process.stderr.write(`[kube-harness] ${line}\n`),
      });
      for (const name of tools) out(`${name}\t${binaries[name]}`);
      process.stderr.write(
        `[kube-harness] ${tools.join(', ')} (kubernetes ${toolVersions.kubernetes}, etcd ${toolVersions.etcd}, helm ${toolVersions.helm}, coredns ${toolVersions.coredns}) ready in ${Math.round((Date.now() - started) / 1000)}s\n`,
      );
      if (set === 'tests') return 0;
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
      process.stderr.write('usage: cli.ts build [cluster|tests] | paths | env\n');
      return 2;
  }
}

main(process.argv[2], process.argv[3]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message =
      error instanceof ToolchainError ? error.message : String((error as Error).stack ?? error);
    process.stderr.write(`[kube-harness] ${message}\n`);
    process.exit(1);
  },
);
