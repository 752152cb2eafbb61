import { Secret } from '@expe/server-kit';

/** Fixed, test-only keys; real deployments must set their own (config has no defaults). */
export const testSecrets = {
  internalAuth: new Secret('test-internal-auth-secret-0123456789abcdef'),
  jwt: new Secret('test-jwt-signing-secret-0123456789abcdefghij'),
};
