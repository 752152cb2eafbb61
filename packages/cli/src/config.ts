import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface CliConfig {
  api_key?: string;
  api_base?: string;
}

export const defaultApiBase = 'http://127.0.0.1:4000';

/** `$XDG_CONFIG_HOME/expe/config.json`, else `~/.config/expe/config.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'expe', 'config.json');
}

export async function readConfig(path = configPath()): Promise<CliConfig> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as CliConfig;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`Cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Written readable by the owner only: it holds a secret key. */
export async function writeConfig(config: CliConfig, path = configPath()): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
}

export interface Credentials {
  apiKey: string;
  apiBase: string;
}

/** Flags win over the environment (`EXPE_API_KEY`, `EXPE_API_BASE`), which wins over the file. */
export async function resolveCredentials(flags: {
  apiKey?: string | undefined;
  apiBase?: string | undefined;
}): Promise<Credentials> {
  const config = await readConfig();
  const apiKey = flags.apiKey ?? process.env.EXPE_API_KEY ?? config.api_key;
  const apiBase = flags.apiBase ?? process.env.EXPE_API_BASE ?? config.api_base ?? defaultApiBase;
  if (!apiKey) {
    throw new UsageError(
      'No API key: run `expe login --api-key sk_test_…` first, or pass --api-key or set EXPE_API_KEY.',
    );
  }
  return { apiKey, apiBase };
}

/** An error that ends the CLI with its own exit code. */
export class ExitCodeError extends Error {
  readonly exitCode: number;
  constructor(name: string, message: string, exitCode: number) {
    super(message);
    this.name = name;
    this.exitCode = exitCode;
  }
}

/** A mistake in how the CLI was called (exit code 2), as opposed to an API error (1). */
export class UsageError extends ExitCodeError {
  constructor(message: string, exitCode = 2) {
    super('UsageError', message, exitCode);
  }
}
