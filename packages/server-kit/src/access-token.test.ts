import { afterEach, describe, expect, it, vi } from 'vitest';
import { signAccessToken, verifyAccessToken } from './access-token.js';
import { Secret } from './secret.js';

const secret = new Secret('access-token-test-secret-0123456789abcdef');
const claims = { sub: 'usr_1', role: 'merchant', email: 'a@example.com', sid: 'ses_1' } as const;

describe('access tokens (issue 23: verified once, then remembered until they expire)', () => {
  afterEach(() => vi.useRealTimers());

  it('when a token is presented again, then it gives the same claims, and it is refused once expired though it was accepted before', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-07T03:00:00Z'));
    const token = signAccessToken(secret, claims, 60);

    expect(verifyAccessToken(secret, token)).toEqual(claims);
    vi.setSystemTime(new Date('2026-12-07T03:00:59Z'));
    expect(verifyAccessToken(secret, token)).toEqual(claims);
    vi.setSystemTime(new Date('2026-12-07T03:01:00Z'));
    expect(() => verifyAccessToken(secret, token)).toThrow(/expired/);
  });

  it('when a token one secret accepted is checked with another secret, then it is refused', () => {
    const token = signAccessToken(secret, claims, 60);
    verifyAccessToken(secret, token);

    expect(() =>
      verifyAccessToken(new Secret('another-secret-of-the-same-length-0123456'), token),
    ).toThrow(/invalid signature/);
  });

  it('when an accepted token is changed, then the changed one is refused', () => {
    const token = signAccessToken(secret, claims, 60);
    verifyAccessToken(secret, token);
    const [header, payload, signature] = token.split('.');
    const changed = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as object;
    const forged = [
      header,
      Buffer.from(JSON.stringify({ ...changed, role: 'admin' })).toString('base64url'),
      signature,
    ].join('.');

    expect(() => verifyAccessToken(secret, forged)).toThrow(/invalid signature/);
  });
});
