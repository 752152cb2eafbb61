import type {
  AccountResource,
  ApiKeyResource,
  MerchantResource,
  ProjectResource,
} from '@expe/contracts';
import { unixSeconds } from '@expe/server-kit';
import type { MerchantRow } from '../db/merchant-repository.js';
import type { ProjectRow } from '../db/project-repository.js';
import type { ApiKeyDetails } from './api-key-details.js';
import type { Account } from './get-account.js';

/** A merchant as the use cases return it; http/ renders it without importing db/. */
export type { MerchantRow };
import { maskSecret } from './api-key-format.js';

export function toMerchantResource(row: MerchantRow): MerchantResource {
  return {
    id: row.id,
    object: 'merchant',
    name: row.name,
    email: row.email,
    created: unixSeconds(row.createdAt),
  };
}

export function toProjectResource(row: ProjectRow): ProjectResource {
  return {
    id: row.id,
    object: 'project',
    name: row.name,
    api_version: row.apiVersion,
    created: unixSeconds(row.createdAt),
    expires_at: row.expiresAt ? unixSeconds(row.expiresAt) : null,
  };
}

export function toDeletedProjectResource(row: ProjectRow) {
  return { id: row.id, object: 'project' as const, deleted: true as const };
}

export function toApiKeyResource(details: ApiKeyDetails): ApiKeyResource {
  const { key, secrets, secret, asOf } = details;
  const current = secrets.find((row) => row.expiresAt === null) ?? secrets[0];
  const isRevoked = key.revokedAt !== null;
  return {
    id: key.id,
    object: 'api_key',
    name: key.name,
    mode: key.mode,
    project: key.projectId,
    ...(secret === undefined ? {} : { secret }),
    secret_masked: maskSecret(key.mode, current?.secretLast4 ?? '????'),
    publishable: key.publishableKey,
    status: isRevoked ? 'revoked' : 'active',
    // A revoked key accepts no secret at all, so none is "still working".
    expiring_secrets: isRevoked
      ? []
      : secrets.flatMap((row) =>
          row.expiresAt && row.expiresAt >= asOf
            ? [
                {
                  secret_masked: maskSecret(key.mode, row.secretLast4),
                  expires: unixSeconds(row.expiresAt),
                },
              ]
            : [],
        ),
    last_used: key.lastUsedAt ? unixSeconds(key.lastUsedAt) : null,
    created: unixSeconds(key.createdAt),
  };
}

export function toAccountResource(account: Account): AccountResource {
  return {
    object: 'account',
    merchant_id: account.merchantId,
    project_id: account.projectId,
    mode: account.mode,
    key_id: account.keyId,
  };
}
