import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { once } from 'node:events';

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Last resort for a test that never reached stop(): nothing outlives the Node process. */
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/**
 * A small detached shell that kills `pid` once this Node process is gone, even when it dies
 * by SIGKILL (a test runner timing out) and no exit hook runs; then it removes `cleanupDir`.
 * It ends by itself when the child exits first.
 */
function startWatchdog(pid: number, cleanupDir: string | undefined) {
  const script =
    'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; ' +
    'if kill -0 "$2" 2>/dev/null; then ' +
    'kill -TERM "$2"; sleep 3; kill -KILL "$2" 2>/dev/null; ' +
    'if [ -n "$3" ]; then rm -rf "$3"; fi; fi';
  const watchdog = spawn(
    'sh',
    ['-c', script, 'expe-harness-watchdog', String(process.pid), String(pid), cleanupDir ?? ''],
    { detached: true, stdio: 'ignore' },
  );
  watchdog.unref();
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number | undefined;
  readonly logFile: string;
  /** Whether the process has exited (and with which code). */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** The end of its log, for error messages. */
  logTail(lines?: number): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts a long-running program with its output in `logFile`, tied to this process's life. */
export function startProcess(
  name: string,
  file: string,
  args: readonly string[],
  logFile: string,
  /** Removed by the watchdog if this process dies without stopping the child. */
  cleanupDir?: string,
): ManagedProcess {
  installExitHook();
  const fd = openSync(logFile, 'a');
  const child = spawn(file, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  running.add(child);
  let exitState: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child.on('exit', (code, signal) => {
    exitState = { code, signal };
    running.delete(child);
  });
  child.on('error', (error) => {
    exitState = { code: null, signal: null };
    running.delete(child);
    process.stderr.write(`[kube-harness] ${name} could not start: ${error.message}\n`);
  });
  if (child.pid) startWatchdog(child.pid, cleanupDir);

  return {
    name,
    pid: child.pid,
    logFile,
    exited: () => exitState,
    logTail(lines = 30) {
      try {
        return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
    async stop(graceMs = 10_000) {
      if (exitState || child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
