/**
 * test/tilt-sim, the Tiltfile evaluated by go.starlark.net with Tilt's documented API, as a
 * library for the tests: build the simulator once, evaluate the repository's Tiltfile for a kube
 * context, and read what it declared (images and their live-update steps, the YAML and helm
 * renders Tilt would apply, resources, local commands).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { repositoryRoot } from '@expe/kube-harness';

const exec = promisify(execFile);

export type LiveUpdateStep =
  | { step: 'fall_back_on'; files: string[] }
  | { step: 'sync'; local_path: string; remote_path: string }
  | { step: 'run'; cmd: string | string[]; trigger: string[] };

export interface DeclaredImage {
  builder: 'docker_build' | 'custom_build';
  ref: string;
  args: Record<string, unknown> & { entrypoint?: string[]; command?: string };
  liveUpdate: LiveUpdateStep[];
}

export interface PortForward {
  local: number;
  container: number;
  host?: string;
}

export interface HelmCall {
  pathToChartDir: string;
  name: string;
  namespace: string;
  values: string[];
  set: string[];
}

/** What a Tiltfile declared, as the simulator prints it. */
export interface Declared {
  context: string;
  config: Record<string, unknown>;
  allowedContexts: string[];
  images: DeclaredImage[];
  /** In the order `k8s_yaml` was called: a file, or the index of a `helm()` render. */
  k8sYaml: { file?: string; helm?: number }[];
  helm: HelmCall[];
  k8sResources: {
    workload: string;
    port_forwards?: PortForward[];
    resource_deps?: string[];
    labels?: string[];
  }[];
  localResources: { name: string; cmd: string; deps?: string[] }[];
  localCommands: { command: string }[];
  readFiles: string[];
  watchedFiles: string[];
}

export interface SimulationResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface TiltSimulator {
  /** Evaluates a Tiltfile for a kube context (Tilt's `--` arguments after it). */
  run(tiltfile: string, context: string, args?: string[]): Promise<SimulationResult>;
  /** The repository's Tiltfile, evaluated; throws with the simulator's stderr if it fails. */
  declared(context: string, args?: string[]): Promise<Declared>;
  remove(): Promise<void>;
}

function findGo(): string | undefined {
  const directories = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/go/bin'];
  return directories.map((directory) => join(directory, 'go')).find((path) => existsSync(path));
}

/** Builds test/tilt-sim with Go (cached by Go's build cache after the first time). */
export async function buildTiltSimulator(): Promise<TiltSimulator> {
  const go = findGo();
  // Not a skip: CI has Go, and this is the only check of the Tiltfile.
  if (!go) {
    throw new Error(
      'Go is not installed (not on PATH, not in /usr/local/go/bin): test/tilt-sim needs Go 1.25 or newer.',
    );
  }
  const workDir = await mkdtemp(join(tmpdir(), 'tilt-sim-'));
  const simulator = join(workDir, 'tilt-sim');
  await exec(go, ['build', '-o', simulator, '.'], {
    cwd: join(repositoryRoot, 'test', 'tilt-sim'),
    timeout: 240_000,
  });
  const run = (tiltfile: string, context: string, args: string[] = []) =>
    exec(simulator, ['-tiltfile', tiltfile, '-context', context, '--', ...args], {
      maxBuffer: 16 * 1024 * 1024,
    }).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({
        code: error.code ?? 1,
        stdout: error.stdout ?? '',
        stderr: error.stderr ?? '',
      }),
    );
  return {
    run,
    async declared(context, args = []) {
      const result = await run(join(repositoryRoot, 'Tiltfile'), context, args);
      if (result.code !== 0) {
        throw new Error(`the Tiltfile failed to evaluate for ${context}: ${result.stderr}`);
      }
      return JSON.parse(result.stdout) as Declared;
    },
    remove: () => rm(workDir, { recursive: true, force: true }),
  };
}
