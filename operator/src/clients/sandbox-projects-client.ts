import type { ProjectResource } from '@expe/contracts';
import { createServiceClient, type IdentitySigner } from '@expe/server-kit';
import { expectStatus } from './merchants-client.js';

/**
 * The merchants service's internal API for Sandbox resources: a project that ends at a given
 * time, found again by its name, and ended early. Called with the `operator` service identity.
 */
export function createSandboxProjectsClient(options: { baseUrl: string; signer: IdentitySigner }) {
  const call = createServiceClient({ ...options, audience: 'merchants' });
  return {
    /** The live sandbox of that name, or a new one that ends at `expiresAt`. */
    async ensure(merchantId: string, input: { name: string; expiresAt: Date }) {
      const response = await call<ProjectResource>(
        'POST',
        `/internal/merchants/${merchantId}/sandboxes/ensure`,
        { name: input.name, expires_at: Math.floor(input.expiresAt.getTime() / 1000) },
      );
      return expectStatus('ensure sandbox project', response, [200, 201]);
    },
    /** Ends the project now (keys revoked, test data archived); false when it was gone already. */
    async end(merchantId: string, projectId: string): Promise<boolean> {
      const response = await call(
        'DELETE',
        `/internal/merchants/${merchantId}/projects/${projectId}`,
      );
      if (response.status === 404) return false;
      expectStatus('end sandbox project', response, [200]);
      return true;
    },
  };
}
export type SandboxProjectsClient = ReturnType<typeof createSandboxProjectsClient>;
