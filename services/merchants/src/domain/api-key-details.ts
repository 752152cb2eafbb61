import { notFound, type Executor } from '@expe/server-kit';
import {
  listSecretsOfKeys,
  type ApiKeyRow,
  type ApiKeySecretRow,
} from '../db/api-key-repository.js';

/** A key with its secrets, as the use cases hand it to the HTTP layer. */
export interface ApiKeyDetails {
  key: ApiKeyRow;
  /** Newest first. */
  secrets: ApiKeySecretRow[];
  /** The full new secret: only right after a create or a roll. */
  secret?: string;
  /** The moment the details describe: secrets expiring before it are no longer listed. */
  asOf: Date;
}

export async function withSecrets(
  db: Executor,
  keys: readonly ApiKeyRow[],
  asOf: Date,
): Promise<ApiKeyDetails[]> {
  const secrets = await listSecretsOfKeys(
    db,
    keys.map((key) => key.id),
  );
  return keys.map((key) => ({
    key,
    secrets: secrets.filter((secret) => secret.apiKeyId === key.id),
    asOf,
  }));
}

/** The key found in the merchant's project, with its secrets; 404 (key_id) when none was found. */
export async function detailsOfFoundKey(
  db: Executor,
  key: ApiKeyRow | undefined,
  keyId: string,
  asOf: Date,
): Promise<ApiKeyDetails> {
  if (!key) throw notFound('API key', keyId, 'key_id');
  const [details] = await withSecrets(db, [key], asOf);
  if (!details) throw new Error(`details of key ${keyId} went missing`);
  return details;
}
