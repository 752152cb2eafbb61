import { spawn, type SpawnOptions } from 'node:child_process';

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** A command that exited non-zero; the message carries its stderr so test failures read well. */
export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly result: CommandResult,
  ) {
    const detail = (result.stderr.trim() || result.stdout.trim()).slice(-4000);
    super(`${command} exited with ${result.exitCode}: ${detail}`);
    this.name = 'CommandError';
  }
}

export interface RunOptions {
  /** Written to the command's stdin. */
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called with each chunk of stderr as it arrives (progress of long builds). */
  onStderr?: (chunk: string) => void;
  /** Resolve with the result instead of rejecting when the exit code is not 0. */
  allowFailure?: boolean;
}

/** Runs a program to completion and collects its output; never goes through a shell. */
export function run(file: string, args: readonly string[], options: RunOptions = {}) {
  const spawnOptions: SpawnOptions = {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  };
  return new Promise<CommandResult>((resolve, reject) => {
    const child = spawn(file, args, spawnOptions);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      options.onStderr?.(chunk.toString('utf8'));
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const result = {
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        exitCode: code ?? (signal ? 128 : 1),
      };
      if (result.exitCode !== 0 && !options.allowFailure) {
        reject(new CommandError([file, ...args].join(' '), result));
      } else {
        resolve(result);
      }
    });
    child.stdin?.on('error', () => {
      // The program may exit before reading its input; the exit code tells what happened.
    });
    child.stdin?.end(options.input ?? '');
  });
}
