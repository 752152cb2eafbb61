import type { IdentitySigner } from '@expe/server-kit';
import { createMerchantsInternalClient } from './merchants-client.js';

/**
 * The merchants service's internal API for Sandbox resources: a project that ends at a given
 * time, found again by its name, and ended early. Called with the `operator` service identity.
 */
export function createSandboxProjectsClient(options: { baseUrl: string; signer: IdentitySigner }) {
  const api = createMerchantsInternalClient(options);
  return {
    /** The live sandbox of that name, or a new one that ends at `expiresAt`. */
    async ensure(merchantId: string, input: { name: string; expiresAt: Date }) {
      const { body } = await api.ensureSandbox({
        params: { id: merchantId },
        body: { name: input.name, expires_at: Math.floor(input.expiresAt.getTime() / 1000) },
      });
      return body;
    },
    /** Ends the project now (keys revoked, test data archived); false when it was gone already. */
    async end(merchantId: string, projectId: string): Promise<boolean> {
      const answer = await api.deleteProject({ params: { id: merchantId, project_id: projectId } });
      return answer.status === 200;
    },
  };
}
export type SandboxProjectsClient = ReturnType<typeof createSandboxProjectsClient>;
