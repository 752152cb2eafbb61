import { generateKeyPairSync } from 'node:crypto';
import { publicKeyVariable } from '@expe/server-kit';

/** ES256 keypairs (PEM) by the name of the deployable that signs with each (ADR 0008). */
export type IdentityKeys = Record<string, { privateKey: string; publicKey: string }>;

/** The platform's deployables that call another service, so sign identities. */
export const identityIssuers = ['gateway', 'auth', 'payments'] as const;

/**
 * A fresh keypair per issuer. Identities live 60 seconds, so `npm start` and tests make new
 * keys every start and nothing is stored.
 */
export function generateIdentityKeys(issuers: readonly string[] = identityIssuers): IdentityKeys {
  return Object.fromEntries(
    issuers.map((issuer) => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      return [
        issuer,
        {
          privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        },
      ];
    }),
  );
}

/**
 * One deployable's identity variables: its own IDENTITY_PRIVATE_KEY (when it signs) and the
 * IDENTITY_PUBLIC_KEY_<ISSUER> of every issuer; each service reads those on its allow-list.
 */
export function identityEnvFor(service: string, keys: IdentityKeys): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [issuer, pair] of Object.entries(keys)) {
    env[publicKeyVariable(issuer)] = pair.publicKey;
  }
  const own = keys[service];
  if (own) env.IDENTITY_PRIVATE_KEY = own.privateKey;
  return env;
}
