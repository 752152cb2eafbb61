import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigError,
  baseConfigShape,
  identityPrivateKeyShape,
  identityVerifierOf,
  loadConfig,
  optionalTrustedIssuerVar,
  portVar,
  secretVar,
  trustedIssuerVar,
} from './config.js';

const schema = z.object({
  ...baseConfigShape,
  ...identityPrivateKeyShape,
  PORT: portVar(4000),
  SOME_SECRET: secretVar('a secret'),
  IDENTITY_PUBLIC_KEY_GATEWAY: trustedIssuerVar('gateway'),
  IDENTITY_PUBLIC_KEY_OPERATOR: optionalTrustedIssuerVar('the operator'),
});
const own = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const gateway = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = (key: { export(options: object): string | Buffer }, type: 'pkcs8' | 'spki') =>
  key.export({ type, format: 'pem' }).toString();
const valid = {
  SOME_SECRET: 'x'.repeat(40),
  IDENTITY_PRIVATE_KEY: pem(own.privateKey, 'pkcs8'),
  IDENTITY_PUBLIC_KEY_GATEWAY: pem(gateway.publicKey, 'spki'),
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(schema, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => p.variable);
  }
  return [];
}

describe('loadConfig', () => {
  it('when a required secret is missing or short, then it fails naming the variable', () => {
    expect(problemsOf({ ...valid, SOME_SECRET: '' })).toEqual(['SOME_SECRET']);
    expect(problemsOf({ ...valid, SOME_SECRET: 'short' })).toEqual(['SOME_SECRET']);
    const { SOME_SECRET: _, ...withoutSecret } = valid;
    expect(problemsOf(withoutSecret)).toEqual(['SOME_SECRET']);
  });

  it('when valid, then defaults apply and secrets are wrapped so they never print', () => {
    const config = loadConfig(schema, { ...valid, PORT: '5000' });
    expect(config.PORT).toBe(5000);
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(JSON.stringify(config)).not.toContain('x'.repeat(40));
    expect(String(config.SOME_SECRET)).toBe('[redacted]');
    expect(config.SOME_SECRET.reveal()).toBe('x'.repeat(40));
  });

  it('when a number is not a number, then that variable is named', () => {
    expect(() => loadConfig(schema, { ...valid, PORT: 'eighty' })).toThrow(/PORT/);
  });
});

describe('identity keys', () => {
  it('when keys are PEM or base64 of the PEM, then they load, and the private one never prints', () => {
    const base64 = (text: string) => Buffer.from(text).toString('base64');
    const config = loadConfig(schema, {
      ...valid,
      IDENTITY_PRIVATE_KEY: base64(valid.IDENTITY_PRIVATE_KEY),
      IDENTITY_PUBLIC_KEY_GATEWAY: base64(valid.IDENTITY_PUBLIC_KEY_GATEWAY),
    });

    expect(config.IDENTITY_PRIVATE_KEY.type).toBe('private');
    expect(config.IDENTITY_PUBLIC_KEY_GATEWAY.type).toBe('public');
    expect(inspect(config)).not.toContain(valid.IDENTITY_PRIVATE_KEY.split('\n')[1]);
  });

  it('when a key is missing, not a key, of another curve or a private key where a public one goes, then the variable is named', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });

    const { IDENTITY_PUBLIC_KEY_GATEWAY: _, ...withoutGateway } = valid;
    expect(problemsOf(withoutGateway)).toEqual(['IDENTITY_PUBLIC_KEY_GATEWAY']);
    expect(problemsOf({ ...valid, IDENTITY_PRIVATE_KEY: 'not a key' })).toEqual([
      'IDENTITY_PRIVATE_KEY',
    ]);
    expect(problemsOf({ ...valid, IDENTITY_PRIVATE_KEY: pem(rsa.privateKey, 'pkcs8') })).toEqual([
      'IDENTITY_PRIVATE_KEY',
    ]);
    expect(
      problemsOf({ ...valid, IDENTITY_PUBLIC_KEY_GATEWAY: pem(p384.publicKey, 'spki') }),
    ).toEqual(['IDENTITY_PUBLIC_KEY_GATEWAY']);
    expect(
      problemsOf({ ...valid, IDENTITY_PUBLIC_KEY_GATEWAY: pem(gateway.privateKey, 'pkcs8') }),
    ).toEqual(['IDENTITY_PUBLIC_KEY_GATEWAY']);
    expect(
      problemsOf({ ...valid, IDENTITY_PUBLIC_KEY_OPERATOR: pem(own.privateKey, 'pkcs8') }),
    ).toEqual(['IDENTITY_PUBLIC_KEY_OPERATOR']);
  });

  it('when an optional issuer has no key, then the verifier does not list it', () => {
    const config = loadConfig(schema, valid);
    const verifier = identityVerifierOf('kit', config, { gateway: ['user'], operator: [] });

    expect(verifier.audience).toBe('kit');
    expect(Object.keys(verifier.issuers)).toEqual(['gateway']);
    expect(verifier.issuers.gateway?.forwards).toEqual(['user']);
  });
});
