import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  gatewayForwards,
  signIdentity,
  verifyIdentity,
  type IdentitySigner,
  type IdentityVerifier,
  type Principal,
} from './identity.js';

const keypair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const keys = { gateway: keypair(), payments: keypair(), operator: keypair() };
const signer = (issuer: keyof typeof keys): IdentitySigner => ({
  issuer,
  privateKey: keys[issuer].privateKey,
});

/** auth as deployed: the gateway forwards callers; payments may only be itself. */
const auth: IdentityVerifier = {
  audience: 'auth',
  issuers: {
    gateway: { publicKey: keys.gateway.publicKey, forwards: gatewayForwards },
    payments: { publicKey: keys.payments.publicKey },
  },
};

const user: Principal = {
  kind: 'user',
  userId: 'usr_1',
  role: 'admin',
  email: 'a@example.com',
  sessionId: 'ses_1',
};

describe('signed identity (ADR 0008)', () => {
  it('when the gateway signs a user for auth, then auth reads the user, the issuer and the address', () => {
    const token = signIdentity(signer('gateway'), user, {
      audience: 'auth',
      clientIp: '203.0.113.9',
    });

    expect(verifyIdentity(auth, token)).toEqual({
      principal: user,
      issuer: 'gateway',
      clientIp: '203.0.113.9',
    });
  });

  it('when a service signs its own service principal, then it is accepted', () => {
    const token = signIdentity(
      signer('payments'),
      { kind: 'service', name: 'payments' },
      {
        audience: 'auth',
      },
    );

    expect(verifyIdentity(auth, token).principal).toEqual({ kind: 'service', name: 'payments' });
  });

  it('when the token is for another audience, then it is refused', () => {
    const token = signIdentity(signer('gateway'), user, { audience: 'merchants' });

    expect(() => verifyIdentity(auth, token)).toThrow(/audience/);
  });

  it('when the issuer is not on the allow-list, then it is refused though its key is valid', () => {
    const token = signIdentity(
      signer('operator'),
      { kind: 'service', name: 'operator' },
      {
        audience: 'auth',
      },
    );

    expect(() => verifyIdentity(auth, token)).toThrow(/issuer not accepted: operator/);
  });

  it('when a token names an allowed issuer but another key signed it, then it is refused', () => {
    const impostor = { issuer: 'gateway', privateKey: keys.payments.privateKey };
    const token = signIdentity(impostor, user, { audience: 'auth' });

    expect(() => verifyIdentity(auth, token)).toThrow(/invalid signature/);
  });

  it('when a service signs a principal it may not assert, then it is refused', () => {
    const asUser = signIdentity(signer('payments'), user, { audience: 'auth' });
    const asGateway = signIdentity(
      signer('payments'),
      { kind: 'service', name: 'gateway' },
      {
        audience: 'auth',
      },
    );
    const gatewayAsPayments = signIdentity(
      signer('gateway'),
      { kind: 'service', name: 'payments' },
      { audience: 'auth' },
    );

    expect(() => verifyIdentity(auth, asUser)).toThrow(/payments may not assert a user/);
    expect(() => verifyIdentity(auth, asGateway)).toThrow(/payments may not assert a service/);
    expect(() => verifyIdentity(auth, gatewayAsPayments)).toThrow(/gateway may not assert/);
  });

  it('when the payload is changed after signing, then it is refused', () => {
    const token = signIdentity(signer('gateway'), { ...user, role: 'user' }, { audience: 'auth' });
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    claims.p.role = 'admin';
    const tampered = [
      header,
      Buffer.from(JSON.stringify(claims)).toString('base64url'),
      signature,
    ].join('.');

    expect(() => verifyIdentity(auth, tampered)).toThrow(/invalid signature/);
  });

  it('when the token has expired, then it is refused', () => {
    const token = jwt.sign({ p: user }, keys.gateway.privateKey, {
      algorithm: 'ES256',
      issuer: 'gateway',
      audience: 'auth',
      expiresIn: -1,
    });

    expect(() => verifyIdentity(auth, token)).toThrow(/expired/);
  });

  it('when a token is HS256 or unsigned, then it is refused whatever it says', () => {
    const hs256 = jwt.sign({ p: user }, 'a-shared-secret-of-the-old-scheme-0123', {
      algorithm: 'HS256',
      issuer: 'gateway',
      audience: 'auth',
    });
    const none = jwt.sign({ p: user, iss: 'gateway', aud: 'auth' }, '', { algorithm: 'none' });

    expect(() => verifyIdentity(auth, hs256)).toThrow();
    expect(() => verifyIdentity(auth, none)).toThrow();
  });

  it('when the issuer is a property every object has, then it is not taken for an allowed one', () => {
    const token = signIdentity(
      { issuer: 'constructor', privateKey: keys.gateway.privateKey },
      user,
      {
        audience: 'auth',
      },
    );

    expect(() => verifyIdentity(auth, token)).toThrow(/issuer not accepted/);
  });
});

describe('signed identities are reused within their lifetime (issue 23, ADR 0013)', () => {
  const gateway = signer('gateway');
  const merchants: IdentityVerifier = {
    audience: 'merchants',
    issuers: { gateway: { publicKey: keys.gateway.publicKey, forwards: gatewayForwards } },
  };
  afterEach(() => vi.useRealTimers());

  it('when the same principal calls the same service from the same address, then one token serves; another audience, address or principal gets its own', () => {
    const first = signIdentity(gateway, user, { audience: 'auth', clientIp: '203.0.113.9' });

    expect(signIdentity(gateway, user, { audience: 'auth', clientIp: '203.0.113.9' })).toBe(first);
    expect(
      signIdentity(gateway, user, { audience: 'merchants', clientIp: '203.0.113.9' }),
    ).not.toBe(first);
    expect(signIdentity(gateway, user, { audience: 'auth', clientIp: '203.0.113.10' })).not.toBe(
      first,
    );
    expect(
      signIdentity(
        gateway,
        { ...user, userId: 'usr_2' },
        { audience: 'auth', clientIp: '203.0.113.9' },
      ),
    ).not.toBe(first);
    expect(
      signIdentity(signer('gateway'), user, { audience: 'auth', clientIp: '203.0.113.9' }),
    ).not.toBe(first);
  });

  it('when half its lifetime has passed, then a new token is signed, and the old one is refused once it expires although it was accepted before', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-07T03:00:00Z'));
    const first = signIdentity(gateway, user, { audience: 'auth' });
    expect(verifyIdentity(auth, first).principal).toEqual(user);

    vi.setSystemTime(new Date('2026-12-07T03:00:29Z'));
    expect(signIdentity(gateway, user, { audience: 'auth' })).toBe(first);
    vi.setSystemTime(new Date('2026-12-07T03:00:31Z'));
    const second = signIdentity(gateway, user, { audience: 'auth' });
    expect(second).not.toBe(first);
    expect(verifyIdentity(auth, first).principal).toEqual(user);

    vi.setSystemTime(new Date('2026-12-07T03:01:00Z'));
    expect(() => verifyIdentity(auth, first)).toThrow(/expired/);
    expect(verifyIdentity(auth, second).principal).toEqual(user);
  });

  it('when the principal is frozen, then its token is found by the object and is the token its contents get', () => {
    const frozen = Object.freeze({ ...user, userId: 'usr_frozen' });
    const first = signIdentity(gateway, frozen, { audience: 'auth', clientIp: '203.0.113.9' });

    expect(signIdentity(gateway, frozen, { audience: 'auth', clientIp: '203.0.113.9' })).toBe(
      first,
    );
    expect(
      signIdentity(gateway, { ...frozen }, { audience: 'auth', clientIp: '203.0.113.9' }),
    ).toBe(first);
    expect(signIdentity(gateway, frozen, { audience: 'auth', clientIp: '203.0.113.10' })).not.toBe(
      first,
    );
    expect(signIdentity(gateway, frozen, { audience: ['auth'], clientIp: '203.0.113.9' })).not.toBe(
      first,
    );
    expect(verifyIdentity(auth, first).principal).toEqual(frozen);
  });

  it('when half its lifetime has passed, then a frozen principal gets a new token too', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-07T04:00:00Z'));
    const frozen = Object.freeze({ ...user, userId: 'usr_frozen_ttl' });
    const first = signIdentity(gateway, frozen, { audience: 'auth' });

    vi.setSystemTime(new Date('2026-12-07T04:00:29Z'));
    expect(signIdentity(gateway, frozen, { audience: 'auth' })).toBe(first);
    vi.setSystemTime(new Date('2026-12-07T04:00:31Z'));
    expect(signIdentity(gateway, frozen, { audience: 'auth' })).not.toBe(first);
  });

  it('when a token one service accepted is presented to another, then that one refuses it', () => {
    const forAuth = signIdentity(gateway, user, { audience: 'auth' });

    expect(verifyIdentity(auth, forAuth).principal).toEqual(user);
    expect(() => verifyIdentity(merchants, forAuth)).toThrow(/audience/);
  });

  it('when a request changes the principal it was given, then the next request with the token is not affected', () => {
    const token = signIdentity(gateway, user, { audience: 'auth' });
    const identity = verifyIdentity(auth, token);

    expect(() => Object.assign(identity.principal, { role: 'admin' })).toThrow(TypeError);
    expect(verifyIdentity(auth, token).principal).toEqual(user);
  });
});
