import { AppError, createServiceClient, type IdentitySigner } from '@expe/server-kit';
import type { MerchantAccounts } from '../domain/context.js';

/** The merchants service's internal API, called as service `auth`. */
export function createMerchantsClient(options: {
  baseUrl: string;
  signer: IdentitySigner;
}): MerchantAccounts {
  const call = createServiceClient({ ...options, audience: 'merchants' });
  return {
    async createMerchant({ ownerUserId, name, email }) {
      const response = await call<{ id?: unknown }>('POST', '/internal/merchants', {
        owner_user_id: ownerUserId,
        name,
        email,
      }).catch((error: unknown) => {
        // An unparsable answer is as unusable as no answer.
        if (error instanceof AppError) throw error;
        throw unavailable(error);
      });
      const id = response.body?.id;
      const isCreated = response.status === 201 || response.status === 200;
      if (!isCreated || typeof id !== 'string' || !id.startsWith('mer_')) {
        throw unavailable(new Error(`POST /internal/merchants answered ${response.status}`));
      }
      return { id };
    },
  };
}

const unavailable = (cause: unknown) =>
  AppError.of('upstream_unavailable', 'The merchant account could not be created; try again', {
    cause,
  });
