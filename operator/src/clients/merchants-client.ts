import { merchantsInternalApi, type EnsuredApiKey, type InternalMerchant } from '@expe/contracts';
import {
  createInternalClient,
  type IdentitySigner,
  type ServiceResponse,
  type UnusableAnswer,
} from '@expe/server-kit';

export type { EnsuredApiKey, InternalMerchant };

/** An answer of an Expe service the operator did not expect; the reconcile is retried. */
export class UpstreamError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    super(`${operation}: HTTP ${status} ${error?.code ?? ''} ${error?.message ?? ''}`.trim());
    this.name = 'UpstreamError';
  }
}

export function expectStatus<T>(
  operation: string,
  response: ServiceResponse<T>,
  ok: readonly number[],
): T {
  if (!ok.includes(response.status))
    throw new UpstreamError(operation, response.status, response.body);
  return response.body;
}

/** An internal answer the operator cannot use, named by the contract's route. */
export const upstreamErrorOf = (answer: UnusableAnswer) =>
  new UpstreamError(answer.route, answer.status, answer.body);

/** The merchants service's internal API (`merchantsInternalApi`), as service `operator`. */
export function createMerchantsInternalClient(options: {
  baseUrl: string;
  signer: IdentitySigner;
}) {
  return createInternalClient(merchantsInternalApi, { ...options, unusable: upstreamErrorOf });
}

/**
 * What the reconcilers ask of the merchants service. Each call expects the statuses of its
 * operation; anything else (a refusal, a 5xx) is an `UpstreamError` and the reconcile retries.
 */
export function createMerchantsClient(options: { baseUrl: string; signer: IdentitySigner }) {
  const api = createMerchantsInternalClient(options);
  const keyParams = (id: string, project_id: string, key_id: string) => ({
    params: { id, project_id, key_id },
  });
  return {
    async ensureMerchant(input: { externalRef: string; name: string; email: string }) {
      const { body } = await api.ensureMerchant({
        body: { external_ref: input.externalRef, name: input.name, email: input.email },
      });
      return body;
    },
    async updateMerchant(merchantId: string, input: { name: string; email: string }) {
      const { body } = await api.updateMerchantProfile(
        { params: { id: merchantId }, body: input },
        { expect: [200] },
      );
      return body;
    },
    async ensureProject(merchantId: string, name: string) {
      const { body } = await api.ensureProject({ params: { id: merchantId }, body: { name } });
      return body;
    },
    async ensureApiKey(
      merchantId: string,
      projectId: string,
      input: { name: string; mode: 'test' | 'live' },
    ): Promise<EnsuredApiKey> {
      const { body } = await api.ensureApiKey({
        params: { id: merchantId, project_id: projectId },
        body: input,
      });
      return body;
    },
    /** undefined when the key (or its project) no longer exists. */
    async getApiKey(merchantId: string, projectId: string, keyId: string) {
      const answer = await api.getApiKey(keyParams(merchantId, projectId, keyId));
      return answer.status === 404 ? undefined : answer.body;
    },
    async reissueApiKey(merchantId: string, projectId: string, keyId: string) {
      const { body } = await api.reissueApiKey(keyParams(merchantId, projectId, keyId));
      return body;
    },
    /**
     * Revokes every key of the merchant (all projects, whoever issued them) and deactivates it.
     * Idempotent; a merchant that does not exist is done already.
     */
    async deactivateMerchant(target: { merchantId: string } | { externalRef: string }) {
      const { body } = await api.deactivateMerchant({
        body:
          'merchantId' in target
            ? { merchant_id: target.merchantId }
            : { external_ref: target.externalRef },
      });
      return body;
    },
    /** A new secret for the key; the current one keeps working for `overlapSeconds`. */
    async rollApiKey(merchantId: string, projectId: string, keyId: string, overlapSeconds: number) {
      const { body } = await api.rollApiKey({
        ...keyParams(merchantId, projectId, keyId),
        body: { expires_in: overlapSeconds },
      });
      return body;
    },
    /** Revoking a missing key is done already. */
    async revokeApiKey(merchantId: string, projectId: string, keyId: string) {
      await api.revokeApiKey(keyParams(merchantId, projectId, keyId));
    },
  };
}
export type MerchantsClient = ReturnType<typeof createMerchantsClient>;
