import { randomUUID } from 'node:crypto';
import { readEnvFile, setEnvVariables } from './env-file.js';
import { UsageError } from './config.js';
import type { Output } from './output.js';

/** The variables `expe sandbox create --env-file` writes (and `expe sandbox delete` reads). */
export const sandboxEnv = {
  apiKey: 'EXPE_API_KEY',
  apiBase: 'EXPE_API_BASE',
  projectId: 'EXPE_SANDBOX_PROJECT_ID',
  expiresAt: 'EXPE_SANDBOX_EXPIRES_AT',
} as const;

const ttlUnits: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90s`, `15m`, `1h`, `2d` → seconds; anything else is a usage error naming --ttl. */
export function parseTtl(value: string): number {
  const match = /^(\d+)([smhd])$/.exec(value.trim());
  const seconds = match ? Number(match[1]) * ttlUnits[match[2]!]! : 0;
  if (!match || seconds <= 0) {
    throw new UsageError(`--ttl must be a number and a unit: 90s, 15m, 1h or 2d (got "${value}")`);
  }
  return seconds;
}

/**
 * Creating and ending projects is a merchant user's act, not a secret key's: the CLI signs in
 * as the merchant with `EXPE_ACCESS_TOKEN` (a session's access token) or `EXPE_EMAIL` and
 * `EXPE_PASSWORD` (read from the environment only, so the password is never in `ps`).
 */
async function merchantToken(apiBase: string): Promise<string> {
  if (process.env.EXPE_ACCESS_TOKEN) return process.env.EXPE_ACCESS_TOKEN;
  const email = process.env.EXPE_EMAIL;
  const password = process.env.EXPE_PASSWORD;
  if (!email || !password) {
    throw new UsageError(
      'expe sandbox signs in as the merchant: set EXPE_EMAIL and EXPE_PASSWORD (or EXPE_ACCESS_TOKEN)',
    );
  }
  const session = await call<{ access_token: string }>(apiBase, 'POST', '/v1/auth/login', {
    body: { email, password },
  });
  return session.access_token;
}

async function call<T>(
  apiBase: string,
  method: string,
  path: string,
  { token, body }: { token?: string; body?: unknown } = {},
): Promise<T> {
  const response = await fetch(new URL(path, apiBase), {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!response.ok) {
    const error = (parsed.error ?? {}) as { message?: string; code?: string; param?: string };
    const detail = [error.code, error.param && `param ${error.param}`, `HTTP ${response.status}`]
      .filter(Boolean)
      .join(', ');
    throw new Error(`${method} ${path}: ${error.message ?? 'request failed'} (${detail})`);
  }
  return parsed as T;
}

export interface SandboxCreated {
  object: 'sandbox';
  project_id: string;
  name: string;
  expires_at: number;
  api_base: string;
  secret_key: string;
  key_id: string;
  env_file: string | null;
}

export async function createSandbox(
  apiBase: string,
  options: { ttl: number; name?: string | undefined; envFile?: string | undefined },
  output: Output,
): Promise<SandboxCreated> {
  const token = await merchantToken(apiBase);
  const name = options.name ?? `expe sandbox ${new Date().toISOString()}`;
  const project = await call<{ id: string; expires_at: number }>(apiBase, 'POST', '/v1/projects', {
    token,
    body: { name, ttl_seconds: options.ttl },
  });
  let key: { id: string; secret: string };
  try {
    key = await call(apiBase, 'POST', `/v1/projects/${project.id}/api_keys`, {
      token,
      body: { name: 'expe sandbox', mode: 'test' },
    });
  } catch (error) {
    // A sandbox nobody holds a key to is only in the way: end it now.
    await call(apiBase, 'DELETE', `/v1/projects/${project.id}`, { token }).catch(() => undefined);
    throw error;
  }
  if (options.envFile) {
    await setEnvVariables(options.envFile, {
      [sandboxEnv.apiKey]: key.secret,
      [sandboxEnv.apiBase]: apiBase,
      [sandboxEnv.projectId]: project.id,
      [sandboxEnv.expiresAt]: new Date(project.expires_at * 1000).toISOString(),
    });
    output.info(`Wrote ${Object.values(sandboxEnv).join(', ')} to ${options.envFile}`);
  }
  return {
    object: 'sandbox',
    project_id: project.id,
    name,
    expires_at: project.expires_at,
    api_base: apiBase,
    secret_key: key.secret,
    key_id: key.id,
    env_file: options.envFile ?? null,
  };
}

export async function deleteSandbox(
  apiBase: string,
  options: { projectId?: string | undefined; envFile?: string | undefined },
): Promise<{ id: string; object: 'project'; deleted: true }> {
  let projectId = options.projectId;
  if (!projectId && options.envFile) {
    projectId = (await readEnvFile(options.envFile))[sandboxEnv.projectId];
  }
  if (!projectId) {
    throw new UsageError(
      `expe sandbox delete needs a project id (prj_…) or --env-file with ${sandboxEnv.projectId}`,
    );
  }
  const token = await merchantToken(apiBase);
  await call(apiBase, 'DELETE', `/v1/projects/${projectId}`, { token });
  return { id: projectId, object: 'project', deleted: true };
}
