import type { RollApiKeyInput } from '@expe/contracts';
import { AppError, type Executor, newId, notFound, withTransaction } from '@expe/server-kit';
import {
  expireCurrentSecrets,
  findApiKey,
  insertApiKeySecret,
  listSecretsOfKeys,
} from '../db/api-key-repository.js';
import { findLiveProject } from '../db/project-repository.js';
import type { ApiKeyDetails } from './api-key-details.js';
import { generateSecret } from './api-key-format.js';

/**
 * Issues a new secret. The current one keeps working for `expires_in` seconds (0: stops now),
 * so a merchant can deploy the new secret without downtime.
 */
export async function rollApiKey(
  db: Executor,
  merchantId: string,
  projectId: string,
  keyId: string,
  input: RollApiKeyInput,
): Promise<ApiKeyDetails> {
  return withTransaction(db, async (tx) => {
    const project = await findLiveProject(tx, merchantId, projectId);
    if (!project) throw notFound('project', projectId);
    // Locked so that two concurrent rolls cannot both see the same current secret.
    const key = await findApiKey(tx, { merchantId, projectId, keyId }, { forUpdate: true });
    if (!key) throw notFound('API key', keyId, 'key_id');
    if (key.revokedAt) {
      throw AppError.of('resource_conflict', 'This API key is revoked; create a new key instead', {
        param: 'key_id',
      });
    }
    const now = new Date();
    await expireCurrentSecrets(tx, key.id, new Date(now.getTime() + input.expires_in * 1000));
    const secret = generateSecret(key.mode);
    await insertApiKeySecret(tx, {
      id: newId('sec'),
      apiKeyId: key.id,
      secretHash: secret.secretHash,
      secretLast4: secret.secretLast4,
      createdAt: now,
    });
    const secrets = await listSecretsOfKeys(tx, [key.id]);
    return { key, secrets, secret: secret.secret, asOf: now };
  });
}
