import { createPrivateKey } from 'node:crypto';
import {
  identityHeader,
  publicKeyVariable,
  signIdentity,
  type IdentitySigner,
  type Principal,
} from '@expe/server-kit';
import { testIdentityKeys } from './secrets.js';

export type TestIssuer = keyof typeof testIdentityKeys;

/** The services that receive identities: a test identity is valid for each of them. */
export const testAudiences = ['auth', 'merchants', 'payments', 'webhooks'];

const signers = new Map<TestIssuer, IdentitySigner>();

/** The signer of `issuer` with its fixed test key. */
export function testSigner(issuer: TestIssuer): IdentitySigner {
  let signer = signers.get(issuer);
  if (!signer) {
    signer = { issuer, privateKey: createPrivateKey(testIdentityKeys[issuer].privateKey) };
    signers.set(issuer, signer);
  }
  return signer;
}

function isTestIssuer(name: string): name is TestIssuer {
  return Object.hasOwn(testIdentityKeys, name);
}

/**
 * An `X-Expe-Identity` token as the deployable that may assert `principal` signs it: a
 * `service` principal by that service itself, anything else by the gateway. Its audience is
 * every service, so one helper serves every service's tests.
 */
export function signTestIdentity(
  principal: Principal,
  options: { clientIp?: string; ttlSeconds?: number; issuer?: TestIssuer } = {},
): string {
  const issuer =
    options.issuer ??
    (principal.kind === 'service' && isTestIssuer(principal.name) ? principal.name : 'gateway');
  return signIdentity(testSigner(issuer), principal, {
    audience: testAudiences,
    ...(options.clientIp ? { clientIp: options.clientIp } : {}),
    ...(options.ttlSeconds ? { ttlSeconds: options.ttlSeconds } : {}),
  });
}

/** Headers that make a request look as if it came through the gateway for `principal`. */
export function asPrincipal(principal: Principal): Record<string, string> {
  return { [identityHeader]: signTestIdentity(principal) };
}

/**
 * The identity variables of a deployable in tests: its own IDENTITY_PRIVATE_KEY when it signs,
 * and IDENTITY_PUBLIC_KEY_<ISSUER> of every issuer (a service reads those it trusts).
 */
export function testIdentityEnv(service?: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [issuer, keys] of Object.entries(testIdentityKeys)) {
    env[publicKeyVariable(issuer)] = keys.publicKey;
  }
  if (service && isTestIssuer(service)) {
    env.IDENTITY_PRIVATE_KEY = testIdentityKeys[service].privateKey;
  }
  return env;
}
