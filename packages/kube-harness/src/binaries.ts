import { constants } from 'node:fs';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { run, CommandError } from './commands.js';
import { withFileLock } from './file-lock.js';
import {
  kubernetesCommands,
  stagingVersion,
  toolNames,
  toolSets,
  toolVersions,
  versionKey,
  type KubernetesCommand,
  type ToolName,
} from './versions.js';

export type KubeBinaries = Record<ToolName, string>;

export interface EnsureOptions {
  /** Progress lines (builds take minutes the first time). Default: standard error. */
  log?: (line: string) => void;
  /** Root of the cache; default `$EXPE_TOOLS_DIR`, else `~/.cache/expe-tools`. */
  toolsDir?: string;
  /**
   * The tools to build if missing; default all of them (`toolSets.cluster`). The tests' control
   * plane asks for `toolSets.tests` only, so `npm test` on a new machine never waits for the
   * node's commands, CoreDNS or the observability tools.
   */
  tools?: readonly ToolName[];
}

/** Thrown when the machine cannot build the tools at all (no Go, no network to the proxy). */
export class ToolchainError extends Error {
  override name = 'ToolchainError';
}

export function toolsDirectory(toolsDir?: string): string {
  const root = toolsDir ?? process.env.EXPE_TOOLS_DIR ?? join(homedir(), '.cache', 'expe-tools');
  return join(root, versionKey());
}

function binaryPaths(dir: string): KubeBinaries {
  const bin = join(dir, 'bin');
  return Object.fromEntries(toolNames.map((name) => [name, join(bin, name)])) as KubeBinaries;
}

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

async function missingTools(
  binaries: KubeBinaries,
  wanted: readonly ToolName[],
): Promise<ToolName[]> {
  const missing: ToolName[] = [];
  for (const name of wanted) if (!(await isExecutable(binaries[name]))) missing.push(name);
  return missing;
}

/** Which of `tools` (default all) the cache under `toolsDir` lacks: what a build would make. */
export async function missingKubeTools(
  options: Pick<EnsureOptions, 'toolsDir' | 'tools'> = {},
): Promise<ToolName[]> {
  return missingTools(
    binaryPaths(toolsDirectory(options.toolsDir)),
    options.tools ?? toolSets.cluster,
  );
}

/**
 * The paths of the Kubernetes commands, etcd, helm and CoreDNS, building whichever of
 * `options.tools` is missing from Go modules through the Go module proxy. Cached outside the
 * repository; a later call finds them at once. Paths of tools not asked for are returned too, and
 * may not exist yet.
 */
export async function ensureKubeBinaries(options: EnsureOptions = {}): Promise<KubeBinaries> {
  const dir = toolsDirectory(options.toolsDir);
  const binaries = binaryPaths(dir);
  const wanted = options.tools ?? toolSets.cluster;
  if ((await missingTools(binaries, wanted)).length === 0) return binaries;

  const log = options.log ?? ((line: string) => process.stderr.write(`[kube-harness] ${line}\n`));
  await mkdir(dir, { recursive: true });
  await withFileLock(
    join(dir, '.build-lock'),
    async () => {
      // Another process may have built them while this one waited for the lock.
      const missing = await missingTools(binaries, wanted);
      if (missing.length === 0) return;
      const go = await findGo();
      log(`building ${missing.join(', ')} into ${join(dir, 'bin')} (first run only)`);
      const builder = new GoBuilder(go, dir, log);
      // One `go build` for every missing Kubernetes command: they share most packages, and on
      // two cores a second concurrent build only competes for them.
      const kubernetes = missing.filter((tool): tool is KubernetesCommand =>
        (kubernetesCommands as readonly string[]).includes(tool),
      );
      if (kubernetes.length > 0) await builder.buildKubernetes(kubernetes);
      if (missing.includes('etcd')) await builder.buildEtcd();
      if (missing.includes('helm')) await builder.installHelm();
      if (missing.includes('coredns')) await builder.installCoreDns();
      log('tools ready');
    },
    (owner) => log(`waiting for another process (pid ${owner}) that is building the tools`),
  );
  return binaries;
}

/** The first Go toolchain that answers `go version`: $GO, `go` on PATH, /usr/local/go/bin/go. */
export async function findGo(
  candidates: readonly string[] = [process.env.GO, 'go', '/usr/local/go/bin/go'].filter(
    (candidate): candidate is string => Boolean(candidate),
  ),
): Promise<string> {
  for (const candidate of candidates) {
    try {
      await run(candidate, ['version']);
      return candidate;
    } catch {
      // Try the next place Go is usually installed.
    }
  }
  throw new ToolchainError(
    'the Go toolchain was not found (looked for $GO, `go` on PATH and /usr/local/go/bin/go). ' +
      'The Kubernetes test harness builds Kubernetes, etcd, helm and CoreDNS from Go modules; ' +
      'install Go 1.24 or newer, or set EXPE_TOOLS_DIR to a directory that already holds the ' +
      `binaries under ${versionKey()}/bin.`,
  );
}

/** Runs `go build` with progress reports: package count and elapsed time every half minute. */
export class GoBuilder {
  constructor(
    private readonly go: string,
    private readonly dir: string,
    private readonly log: (line: string) => void,
  ) {}

  env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      // Never fetch another toolchain: the build machines reach only the module proxy.
      GOTOOLCHAIN: 'local',
      GOFLAGS: '-mod=mod',
      GOWORK: 'off',
    };
  }

  async go_(label: string, args: string[], cwd: string, env = this.env()) {
    const started = Date.now();
    let packages = 0;
    let downloads = 0;
    const timer = setInterval(() => {
      const seconds = Math.round((Date.now() - started) / 1000);
      this.log(
        `${label}: ${packages} packages compiled, ${downloads} modules fetched, ${seconds}s`,
      );
    }, 30_000);
    try {
      await run(this.go, args, {
        cwd,
        env,
        onStderr: (chunk) => {
          for (const line of chunk.split('\n')) {
            if (line.startsWith('go: downloading')) downloads += 1;
            else if (line.trim() !== '') packages += 1;
          }
        },
      });
    } catch (error) {
      if (error instanceof CommandError) {
        throw new ToolchainError(`${label} failed to build: ${error.message}`);
      }
      throw error;
    } finally {
      clearInterval(timer);
    }
    this.log(`${label}: done in ${Math.round((Date.now() - started) / 1000)}s`);
  }

  /** go build -o into a temporary name, then rename, so a killed build never leaves half a file. */
  private async buildInto(
    label: string,
    cwd: string,
    outputs: Record<string, string>,
    ldflags: string[] = [],
  ) {
    const bin = join(this.dir, 'bin');
    const staging = join(bin, `.partial-${process.pid}`);
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    await this.go_(
      label,
      ['build', '-v', '-trimpath', ...ldflags, '-o', `${staging}/`, ...Object.values(outputs)],
      cwd,
    );
    for (const [name, pkg] of Object.entries(outputs)) {
      const built = pkg.split('/').at(-1) ?? name;
      await rename(join(staging, built), join(bin, name));
    }
    await rm(staging, { recursive: true, force: true });
  }

  private async writeModule(name: string, goMod: string): Promise<string> {
    const cwd = join(this.dir, 'src', name);
    await mkdir(cwd, { recursive: true });
    await writeFile(join(cwd, 'go.mod'), goMod);
    return cwd;
  }

  /** Reads a module's own go.mod from the proxy (needed to know the staging modules). */
  private async upstreamGoMod(module: string, version: string): Promise<string> {
    const { stdout } = await run(this.go, ['mod', 'download', '-json', `${module}@${version}`], {
      env: this.env(),
      cwd: this.dir,
    }).catch((error: unknown) => {
      throw new ToolchainError(
        `could not fetch ${module}@${version} through the Go module proxy: ${String(error)}`,
      );
    });
    const info = JSON.parse(stdout) as { GoMod?: string };
    if (!info.GoMod) throw new ToolchainError(`go mod download gave no go.mod for ${module}`);
    return readFile(info.GoMod, 'utf8');
  }

  async buildKubernetes(tools: readonly KubernetesCommand[]) {
    const version = toolVersions.kubernetes;
    const upstream = await this.upstreamGoMod('k8s.io/kubernetes', version);
    const cwd = await this.writeModule('kubernetes', kubernetesWrapperGoMod(upstream, version));
    const outputs: Record<string, string> = {};
    for (const tool of tools) outputs[tool] = `k8s.io/kubernetes/cmd/${tool}`;
    await this.buildInto(
      `kubernetes ${version} (${tools.join(', ')})`,
      cwd,
      outputs,
      kubernetesVersionLdflags(version),
    );
  }

  async buildEtcd() {
    const version = toolVersions.etcd;
    const upstream = await this.upstreamGoMod('go.etcd.io/etcd/server/v3', version);
    const cwd = await this.writeModule('etcd', etcdWrapperGoMod(upstream, version));
    // The server module's main package is etcd itself; its directory name is `v3`.
    const bin = join(this.dir, 'bin');
    const staging = join(bin, `.partial-etcd-${process.pid}`);
    await this.go_(
      `etcd ${version}`,
      ['build', '-v', '-trimpath', '-ldflags', '-s -w', '-o', staging, 'go.etcd.io/etcd/server/v3'],
      cwd,
    );
    await rename(staging, join(bin, 'etcd'));
  }

  async installHelm() {
    const version = toolVersions.helm;
    const gobin = join(this.dir, 'bin', `.partial-helm-${process.pid}`);
    await mkdir(gobin, { recursive: true });
    await this.go_(
      `helm ${version}`,
      [
        'install',
        '-v',
        '-trimpath',
        // What helm's own Makefile stamps, so `helm version` names the release.
        '-ldflags',
        `-s -w -X helm.sh/helm/v3/internal/version.version=${version} -X helm.sh/helm/v3/internal/version.gitTreeState=clean`,
        `helm.sh/helm/v3/cmd/helm@${version}`,
      ],
      this.dir,
      { ...this.env(), GOBIN: gobin, GOFLAGS: '' },
    );
    await rename(join(gobin, 'helm'), join(this.dir, 'bin', 'helm'));
    await rm(gobin, { recursive: true, force: true });
  }

  /**
   * CoreDNS for the one-node cluster. CGO_ENABLED=0: the default build links against the host's
   * libc, and the CoreDNS image holds nothing but this binary. Its go.mod has no replace
   * directives, so `go install module@version` builds exactly the release.
   */
  async installCoreDns() {
    const version = toolVersions.coredns;
    const gobin = join(this.dir, 'bin', `.partial-coredns-${process.pid}`);
    await mkdir(gobin, { recursive: true });
    await this.go_(
      `coredns ${version}`,
      [
        'install',
        '-v',
        '-trimpath',
        '-ldflags',
        `-s -w -X github.com/coredns/coredns/coremain.GitCommit=${version}`,
        `github.com/coredns/coredns@${version}`,
      ],
      this.dir,
      { ...this.env(), GOBIN: gobin, GOFLAGS: '', CGO_ENABLED: '0' },
    );
    await rename(join(gobin, 'coredns'), join(this.dir, 'bin', 'coredns'));
    await rm(gobin, { recursive: true, force: true });
  }
}

/**
 * What the Kubernetes release build stamps into its binaries (hack/lib/version.sh), so
 * `kubectl version` and the API server's /version report the real release, not v0.0.0-master.
 */
export function kubernetesVersionLdflags(version: string): string[] {
  const [major, minor] = version.replace(/^v/, '').split('.');
  const stamps = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].flatMap(
    (pkg) => [
      `-X ${pkg}.gitVersion=${version}`,
      `-X ${pkg}.gitMajor=${major}`,
      `-X ${pkg}.gitMinor=${minor}`,
      `-X ${pkg}.gitTreeState=clean`,
    ],
  );
  // -s -w: no symbol table or DWARF. Kubernetes' release build links the same way; it makes the
  // link of six large binaries, the longest single step of a cold build, markedly cheaper.
  return ['-ldflags', ['-s -w', ...stamps].join(' ')];
}

/**
 * k8s.io/kubernetes points every `k8s.io/*` staging module at `./staging/src/...`, a path that
 * does not exist in the published module; a wrapper module replaces each with its release tag.
 */
export function kubernetesWrapperGoMod(upstreamGoMod: string, version: string): string {
  const staging = [
    ...upstreamGoMod.matchAll(/^\s*(k8s\.io\/[\w.-]+)\s+=>\s+\.\/staging\/src\/\S+\s*$/gm),
  ].map((match) => match[1] as string);
  if (staging.length === 0) {
    throw new ToolchainError(`k8s.io/kubernetes ${version} go.mod lists no staging modules`);
  }
  const goDirective = /^go\s+(\S+)\s*$/m.exec(upstreamGoMod)?.[1] ?? '1.24.0';
  const godebug = /^godebug\s+.+$/m.exec(upstreamGoMod)?.[0];
  const tag = stagingVersion(version);
  return [
    '// Generated by @expe/kube-harness: builds the Kubernetes commands from the module proxy.',
    'module expe.dev/tools/kubernetes',
    '',
    `go ${goDirective}`,
    ...(godebug ? ['', godebug] : []),
    '',
    `require k8s.io/kubernetes ${version}`,
    '',
    'replace (',
    ...staging.map((module) => `\t${module} => ${module} ${tag}`),
    ')',
    '',
  ].join('\n');
}

/**
 * The etcd server module replaces its sibling modules (api, client, pkg, raft) with relative
 * paths inside its repository. Replace directives of a dependency are ignored, and its require
 * lines already name the published tags of those siblings, so the wrapper needs no replace;
 * it takes the upstream `go` line so the toolchain check matches what etcd asks for.
 */
export function etcdWrapperGoMod(upstreamGoMod: string, version: string): string {
  const goDirective = /^go\s+(\S+)\s*$/m.exec(upstreamGoMod)?.[1] ?? '1.24.0';
  return [
    '// Generated by @expe/kube-harness: builds etcd from the module proxy.',
    'module expe.dev/tools/etcd',
    '',
    `go ${goDirective}`,
    '',
    `require go.etcd.io/etcd/server/v3 ${version}`,
    '',
  ].join('\n');
}
