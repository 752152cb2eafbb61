import type { CreateApiKeyInput } from '@expe/contracts';
import { AppError, type Executor, newId, notFound, withTransaction } from '@expe/server-kit';
import {
  countActiveKeysOfProject,
  insertApiKey,
  insertApiKeySecret,
} from '../db/api-key-repository.js';
import { findLiveProject, type ProjectRow } from '../db/project-repository.js';
import type { ApiKeyDetails } from './api-key-details.js';
import { generatePublishable, generateSecret } from './api-key-format.js';

export async function createApiKey(
  db: Executor,
  merchantId: string,
  projectId: string,
  input: CreateApiKeyInput,
  limits: { maxKeys: number },
): Promise<ApiKeyDetails> {
  return withTransaction(db, async (tx) => {
    // The row lock serialises key creation per project, so the limit holds under concurrency
    // and a concurrent project deletion cannot leave a fresh active key behind.
    const project = await findLiveProject(tx, merchantId, projectId, { forUpdate: true });
    if (!project) throw notFound('project', projectId);
    return insertKeyWithinLimit(tx, merchantId, project, input, limits.maxKeys);
  });
}

/**
 * Issues a key (publishable + secret) in a project whose row the caller has locked, refusing
 * past the active-key limit. The secret is returned here and never stored.
 */
export async function insertKeyWithinLimit(
  tx: Executor,
  merchantId: string,
  project: ProjectRow,
  input: CreateApiKeyInput,
  maxKeys: number,
): Promise<ApiKeyDetails> {
  const now = new Date();
  assertSandboxTakesKey(project, input.mode, now);
  const projectId = project.id;
  if ((await countActiveKeysOfProject(tx, projectId)) >= maxKeys) {
    throw AppError.of(
      'parameter_invalid',
      `A project can have at most ${maxKeys} active API keys; revoke one before creating another`,
      { param: 'name' },
    );
  }
  const publishable = generatePublishable(input.mode);
  const secret = generateSecret(input.mode);
  const key = await insertApiKey(tx, {
    id: newId('key'),
    merchantId,
    projectId,
    name: input.name,
    mode: input.mode,
    publishableKey: publishable.publishable,
    publishableHash: publishable.publishableHash,
    createdAt: now,
  });
  const secretRow = await insertApiKeySecret(tx, {
    id: newId('sec'),
    apiKeyId: key.id,
    secretHash: secret.secretHash,
    secretLast4: secret.secretLast4,
    createdAt: now,
  });
  return { key, secrets: [secretRow], secret: secret.secret, asOf: now };
}

/**
 * A sandbox (a project with `expires_at`) is test mode only, and an ended one takes no new key:
 * its keys would not answer.
 */
function assertSandboxTakesKey(project: ProjectRow, mode: 'test' | 'live', now: Date): void {
  if (project.expiresAt === null) return;
  if (mode === 'live') {
    throw AppError.of(
      'parameter_invalid',
      'This project is a sandbox (it has expires_at): it has test keys only',
      { param: 'mode' },
    );
  }
  if (project.expiresAt <= now) {
    throw AppError.of(
      'parameter_invalid',
      `This sandbox ended at ${project.expiresAt.toISOString()}; create a new one`,
      { param: 'mode' },
    );
  }
}
