import type { ApiKeyResource, MerchantResource, ProjectResource } from '@expe/contracts';
import { createServiceClient, type IdentitySigner, type ServiceResponse } from '@expe/server-kit';

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

/** An API key as the ensure answer gives it: secret and publishable only when created now. */
export type EnsuredApiKey = Omit<ApiKeyResource, 'publishable'> & {
  publishable?: string;
  secret?: string;
};

/** The merchant as the internal API answers: the public resource and whether it is shut down. */
export type InternalMerchant = MerchantResource & { deactivated?: boolean };

/** The merchants service's internal API, called with the `operator` service identity. */
export function createMerchantsClient(options: { baseUrl: string; signer: IdentitySigner }) {
  const call = createServiceClient({ ...options, audience: 'merchants' });
  const keyPath = (merchantId: string, projectId: string, keyId: string) =>
    `/internal/merchants/${merchantId}/projects/${projectId}/api_keys/${keyId}`;
  return {
    async ensureMerchant(input: { externalRef: string; name: string; email: string }) {
      const response = await call<InternalMerchant>('POST', '/internal/merchants', {
        external_ref: input.externalRef,
        name: input.name,
        email: input.email,
      });
      return expectStatus('ensure merchant', response, [200, 201]);
    },
    async updateMerchant(merchantId: string, input: { name: string; email: string }) {
      const response = await call<MerchantResource>(
        'POST',
        `/internal/merchants/${merchantId}`,
        input,
      );
      return expectStatus('update merchant', response, [200]);
    },
    async ensureProject(merchantId: string, name: string) {
      const response = await call<ProjectResource>(
        'POST',
        `/internal/merchants/${merchantId}/projects/ensure`,
        { name },
      );
      return expectStatus('ensure project', response, [200, 201]);
    },
    async ensureApiKey(
      merchantId: string,
      projectId: string,
      input: { name: string; mode: 'test' | 'live' },
    ) {
      const response = await call<EnsuredApiKey>(
        'POST',
        `/internal/merchants/${merchantId}/projects/${projectId}/api_keys/ensure`,
        input,
      );
      return expectStatus('ensure API key', response, [200, 201]);
    },
    /** undefined when the key (or its project) no longer exists. */
    async getApiKey(merchantId: string, projectId: string, keyId: string) {
      const response = await call<ApiKeyResource>('GET', keyPath(merchantId, projectId, keyId));
      if (response.status === 404) return undefined;
      return expectStatus('read API key', response, [200]);
    },
    async reissueApiKey(merchantId: string, projectId: string, keyId: string) {
      const response = await call<ApiKeyResource>(
        'POST',
        `${keyPath(merchantId, projectId, keyId)}/reissue`,
      );
      return expectStatus('reissue API key', response, [201]);
    },
    /**
     * Revokes every key of the merchant (all projects, whoever issued them) and deactivates it.
     * Idempotent; a merchant that does not exist is done already.
     */
    async deactivateMerchant(target: { merchantId: string } | { externalRef: string }) {
      const response = await call<{ merchant: InternalMerchant | null; revoked_keys: number }>(
        'POST',
        '/internal/merchants/deactivate',
        'merchantId' in target
          ? { merchant_id: target.merchantId }
          : { external_ref: target.externalRef },
      );
      return expectStatus('deactivate merchant', response, [200]);
    },
    /** A new secret for the key; the current one keeps working for `overlapSeconds`. */
    async rollApiKey(merchantId: string, projectId: string, keyId: string, overlapSeconds: number) {
      const response = await call<ApiKeyResource>(
        'POST',
        `${keyPath(merchantId, projectId, keyId)}/roll`,
        { expires_in: overlapSeconds },
      );
      return expectStatus('roll API key', response, [200]);
    },
    /** Revoking a missing key is done already. */
    async revokeApiKey(merchantId: string, projectId: string, keyId: string) {
      const response = await call('DELETE', keyPath(merchantId, projectId, keyId));
      if (response.status === 404) return;
      expectStatus('revoke API key', response, [200]);
    },
  };
}
export type MerchantsClient = ReturnType<typeof createMerchantsClient>;
