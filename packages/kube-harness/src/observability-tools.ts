/**
 * The observability tools of the one-node cluster, built from Go modules like the Kubernetes
 * tools: an OpenTelemetry Collector (tools/otelcol: the OTLP receiver and two exporters, nothing
 * else) and Prometheus (tools/prometheus: cmd/prometheus with only the Kubernetes service
 * discovery compiled in). Each module is committed with its go.sum, built `-mod=readonly`, and
 * cached in `$EXPE_TOOLS_DIR/<tool>-<version>-<hash of the module>/bin`, so CI on a machine that
 * built them once only finds them.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, readFile, readdir, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findGo, GoBuilder } from './binaries.js';
import { withFileLock } from './file-lock.js';

export const observabilityVersions = {
  /** go.opentelemetry.io/collector: every module at v0.165.0 / v1.71.0 (tools/otelcol/go.mod). */
  otelcol: 'v0.165.0',
  /** github.com/prometheus/prometheus v0.316.0 is Prometheus 3.16.0. */
  prometheus: 'v3.16.0',
} as const;

export type ObservabilityTool = keyof typeof observabilityVersions;
export type ObservabilityBinaries = Record<ObservabilityTool, string>;

const toolsSource = fileURLToPath(new URL('../tools/', import.meta.url));

interface ToolBuild {
  /** The package `go build` compiles, from the committed module. */
  pkg: string;
  tags?: string[];
  ldflags: string;
}

const builds: Record<ObservabilityTool, ToolBuild> = {
  otelcol: {
    pkg: '.',
    ldflags: `-s -w -X main.version=${observabilityVersions.otelcol}`,
  },
  prometheus: {
    pkg: 'github.com/prometheus/prometheus/cmd/prometheus',
    // plugins/plugin_*.go: every service discovery but Kubernetes' stays out of the binary
    // (AWS, Azure, GCE, Consul, … SDKs), which is most of the build.
    tags: ['remove_all_sd', 'enable_kubernetes_sd'],
    ldflags: [
      '-s -w',
      `-X github.com/prometheus/common/version.Version=${observabilityVersions.prometheus.slice(1)}`,
      '-X github.com/prometheus/common/version.Branch=HEAD',
      '-X github.com/prometheus/common/version.BuildUser=expe-kube-harness',
    ].join(' '),
  },
};

/** The module's files, hashed: a change to main.go or go.sum builds anew under a new key. */
async function moduleHash(tool: ObservabilityTool): Promise<string> {
  const dir = join(toolsSource, tool);
  const hash = createHash('sha256').update(JSON.stringify(builds[tool]));
  for (const file of (await readdir(dir)).sort()) {
    if (file === 'go.mod' || file === 'go.sum' || file.endsWith('.go')) {
      hash
        .update(file)
        .update('\0')
        .update(await readFile(join(dir, file)));
    }
  }
  return hash.digest('hex').slice(0, 12);
}

export async function observabilityToolDirectory(
  tool: ObservabilityTool,
  toolsDir?: string,
): Promise<string> {
  const root = toolsDir ?? process.env.EXPE_TOOLS_DIR ?? join(homedir(), '.cache', 'expe-tools');
  return join(root, `${tool}-${observabilityVersions[tool]}-${await moduleHash(tool)}`);
}

const isExecutable = (path: string) =>
  access(path, constants.X_OK).then(
    () => true,
    () => false,
  );

/**
 * The paths of the collector and Prometheus, building whichever is missing (statically:
 * CGO_ENABLED=0, as their images hold nothing but the binary).
 */
export async function ensureObservabilityBinaries(
  options: { log?: (line: string) => void; toolsDir?: string } = {},
): Promise<ObservabilityBinaries> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[kube-harness] ${line}\n`));
  const binaries = {} as ObservabilityBinaries;
  for (const tool of Object.keys(builds) as ObservabilityTool[]) {
    const dir = await observabilityToolDirectory(tool, options.toolsDir);
    const binary = join(dir, 'bin', tool);
    binaries[tool] = binary;
    if (await isExecutable(binary)) continue;
    await mkdir(join(dir, 'bin'), { recursive: true });
    await withFileLock(
      join(dir, '.build-lock'),
      async () => {
        if (await isExecutable(binary)) return;
        const builder = new GoBuilder(await findGo(), dir, log);
        const { pkg, tags, ldflags } = builds[tool];
        const partial = `${binary}.partial-${process.pid}`;
        log(`building ${tool} ${observabilityVersions[tool]} into ${binary} (first run only)`);
        await builder.go_(
          `${tool} ${observabilityVersions[tool]}`,
          [
            'build',
            '-v',
            '-trimpath',
            ...(tags ? ['-tags', tags.join(',')] : []),
            '-ldflags',
            ldflags,
            '-o',
            partial,
            pkg,
          ],
          join(toolsSource, tool),
          // -mod=readonly: the committed go.sum pins every module; the build never rewrites it.
          { ...builder.env(), GOFLAGS: '-mod=readonly', CGO_ENABLED: '0' },
        );
        await rename(partial, binary);
      },
      (owner) => log(`waiting for another process (pid ${owner}) that is building ${tool}`),
    ).catch(async (error: unknown) => {
      await rm(`${binary}.partial-${process.pid}`, { force: true });
      throw error;
    });
  }
  return binaries;
}
