import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The package's `bin` (an executable), as `npx expe` runs it in the repository: the source, no build. */
export const repoExpe = fileURLToPath(new URL('../bin/expe.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real `expe` binary as a child process, with its own config directory. */
export function runExpe(
  argv: string[],
  env: Record<string, string>,
  { bin = repoExpe, cwd = repoRoot }: { bin?: string; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, argv, {
      cwd,
      env: { ...process.env, NODE_ENV: 'development', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface RunningExpe {
  child: ChildProcess;
  lines: string[];
  stderr(): string;
  /** Resolves with the first stdout line matching, or rejects after the timeout. */
  waitForLine(predicate: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** A long-running command (`expe listen`), its stdout split into lines as they arrive. */
export function startExpe(
  argv: string[],
  env: Record<string, string>,
  { bin = repoExpe, cwd = repoRoot }: { bin?: string; cwd?: string } = {},
): RunningExpe {
  const child = spawn(bin, argv, {
    cwd,
    env: { ...process.env, NODE_ENV: 'development', ...env },
  });
  const lines: string[] = [];
  let buffered = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts.filter(Boolean));
    for (const wake of waiters) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    child,
    lines,
    stderr: () => stderr,
    waitForLine(predicate, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = lines.find(predicate);
          if (line === undefined) return;
          cleanup();
          resolve(line);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching line; stdout: ${lines.join('\n')}\nstderr: ${stderr}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        void exited.then(() => {
          if (waiters.has(check)) {
            cleanup();
            reject(new Error(`expe exited; stdout: ${lines.join('\n')}\nstderr: ${stderr}`));
          }
        });
        check();
      });
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
