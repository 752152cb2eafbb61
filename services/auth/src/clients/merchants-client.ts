import { merchantsInternalApi } from '@expe/contracts';
import { AppError, createInternalClient, type IdentitySigner } from '@expe/server-kit';
import type { MerchantAccounts } from '../domain/context.js';

/** The merchants service's internal API, called as service `auth`. */
export function createMerchantsClient(options: {
  baseUrl: string;
  signer: IdentitySigner;
}): MerchantAccounts {
  const merchants = createInternalClient(merchantsInternalApi, {
    ...options,
    unusable: ({ method, path, status, cause }) =>
      AppError.of('upstream_unavailable', 'The merchant account could not be created; try again', {
        cause: cause ?? new Error(`${method} ${path} answered ${status}`),
      }),
  });
  return {
    async createMerchant({ ownerUserId, name, email }) {
      const { body } = await merchants.ensureMerchant({
        body: { owner_user_id: ownerUserId, name, email },
      });
      return { id: body.id };
    },
  };
}
