import { AppError, createServiceClient, type IdentitySigner } from '@expe/server-kit';
import type { DirectoryMerchant, MerchantDirectory } from '../shared/domain/context.js';
import { cachedLookup } from './cached-lookup.js';

const cacheTtlMs = 30_000;

/** The merchants service's internal lookups, called as service `payments`. */
export function createMerchantsClient(options: {
  baseUrl: string;
  signer: IdentitySigner;
}): MerchantDirectory {
  const call = createServiceClient({ ...options, audience: 'merchants' });

  const read = async (path: string): Promise<DirectoryMerchant | undefined> => {
    const response = await call('GET', path).catch((error: unknown) => {
      if (error instanceof AppError) throw error;
      throw unavailable(error);
    });
    if (response.status === 404) return undefined;
    if (response.status !== 200 || !isMerchant(response.body)) {
      throw unavailable(new Error(`GET ${path} answered ${response.status}`));
    }
    const { id, name, email } = response.body;
    return { id, name, email };
  };

  const failIfNot = (status: number, expected: number[], what: string) => {
    if (!expected.includes(status)) throw unavailable(new Error(`${what} answered ${status}`));
  };

  return {
    async endedSandboxes(limit) {
      const path = `/internal/sandboxes/ended?limit=${limit}`;
      const response = await call('GET', path).catch((error: unknown) => {
        throw unavailable(error);
      });
      failIfNot(response.status, [200], `GET ${path}`);
      const { data } = response.body as { data: { project_id: string; merchant_id: string }[] };
      return data.map((entry) => ({ projectId: entry.project_id, merchantId: entry.merchant_id }));
    },
    async reportSandboxArchived(projectId) {
      const path = `/internal/sandboxes/${encodeURIComponent(projectId)}/archived`;
      const response = await call('POST', path).catch((error: unknown) => {
        throw unavailable(error);
      });
      // 404: already reported (by another replica, or before a retry).
      failIfNot(response.status, [200, 404], `POST ${path}`);
    },
    getMerchant: cachedLookup((id) => read(`/internal/merchants/${encodeURIComponent(id)}`), {
      ttlMs: cacheTtlMs,
    }),
    getMerchantOfOwner: cachedLookup(
      (userId) => read(`/internal/merchants/by-owner/${encodeURIComponent(userId)}`),
      { ttlMs: cacheTtlMs },
    ),
  };
}

function isMerchant(body: unknown): body is DirectoryMerchant {
  const merchant = body as Partial<DirectoryMerchant> | undefined;
  return (
    typeof merchant?.id === 'string' &&
    typeof merchant.name === 'string' &&
    typeof merchant.email === 'string'
  );
}

const unavailable = (cause: unknown) =>
  AppError.of('upstream_unavailable', 'The merchant directory did not answer; try again', {
    cause,
  });
