import { merchantsInternalApi, type InternalMerchant } from '@expe/contracts';
import { AppError, createInternalClient, type IdentitySigner } from '@expe/server-kit';
import type { DirectoryMerchant, MerchantDirectory } from '../shared/domain/context.js';
import { cachedLookup } from './cached-lookup.js';

const cacheTtlMs = 30_000;

/** The merchants service's internal API (`merchantsInternalApi`), called as service `payments`. */
export function createMerchantsClient(options: {
  baseUrl: string;
  signer: IdentitySigner;
}): MerchantDirectory {
  const merchants = createInternalClient(merchantsInternalApi, {
    ...options,
    unusable: ({ method, path, status, cause }) =>
      AppError.of('upstream_unavailable', 'The merchant directory did not answer; try again', {
        cause: cause ?? new Error(`${method} ${path} answered ${status}`),
      }),
  });
  const merchantOf = (
    answer: { status: 200; body: InternalMerchant } | { status: 404 },
  ): DirectoryMerchant | undefined => {
    if (answer.status === 404) return undefined;
    const { id, name, email } = answer.body;
    return { id, name, email };
  };

  return {
    async endedSandboxes(limit) {
      const { body } = await merchants.listEndedSandboxes({ query: { limit } });
      return body.data.map((entry) => ({
        projectId: entry.project_id,
        merchantId: entry.merchant_id,
      }));
    },
    async reportSandboxArchived(projectId) {
      // 404: already reported (by another replica, or before a retry).
      await merchants.reportSandboxArchived({ params: { project_id: projectId } });
    },
    getMerchant: cachedLookup(
      async (id) => merchantOf(await merchants.getMerchant({ params: { id } })),
      { ttlMs: cacheTtlMs },
    ),
    getMerchantOfOwner: cachedLookup(
      async (userId) =>
        merchantOf(await merchants.getMerchantOfOwner({ params: { user_id: userId } })),
      { ttlMs: cacheTtlMs },
    ),
  };
}
