import { describe, expect, it } from 'vitest';
import {
  addressRefusal,
  checkEndpointUrl,
  resolveVetted,
  urlPolicyFor,
  UrlRefusedError,
  type ResolveHost,
} from './url-guard.js';

const live = urlPolicyFor('live', true);
const testWithLoopback = urlPolicyFor('test', true);
const testWithoutLoopback = urlPolicyFor('test', false);

const resolveTo =
  (...addresses: string[]): ResolveHost =>
  () =>
    Promise.resolve(
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );

describe('addressRefusal', () => {
  it.each([
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.0.1',
    '127.0.0.1',
    '127.8.9.10',
    '169.254.1.1',
    '169.254.169.254',
    '0.0.0.0',
    '100.64.0.1',
    '100.127.255.255',
    '224.0.0.251',
    '255.255.255.255',
    '::',
    '::1',
    'fe80::1',
    'fc00::1',
    'fd00:ec2::254',
    'ff02::1',
    '::ffff:10.0.0.1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '64:ff9b::a00:1',
    '::127.0.0.1',
    '2002:a00:1::',
  ])('when the address is %s, then live mode refuses it', (address) => {
    expect(addressRefusal(address, live)).toEqual(expect.any(String));
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111'])(
    'when the address is public (%s), then it passes',
    (address) => {
      expect(addressRefusal(address, live)).toBeUndefined();
    },
  );

  it('when loopback is allowed in test mode, then only loopback is let through', () => {
    expect(addressRefusal('127.0.0.1', testWithLoopback)).toBeUndefined();
    expect(addressRefusal('::1', testWithLoopback)).toBeUndefined();
    expect(addressRefusal('::ffff:127.0.0.1', testWithLoopback)).toBeUndefined();
    expect(addressRefusal('10.0.0.1', testWithLoopback)).toContain('private');
    expect(addressRefusal('169.254.169.254', testWithLoopback)).toContain('metadata');
  });

  it('when WEBHOOK_ALLOW_LOOPBACK_IN_TEST is false, then test mode refuses loopback too', () => {
    expect(addressRefusal('127.0.0.1', testWithoutLoopback)).toContain('loopback');
  });
});

describe('resolveVetted', () => {
  it('when one of several addresses is private, then the whole name is refused', async () => {
    await expect(
      resolveVetted('mixed.example', live, resolveTo('93.184.216.34', '10.0.0.7')),
    ).rejects.toThrow(/mixed\.example resolves to a private address \(10\.0\.0\.7\)/);
  });

  it('when a test-mode name ends in an allowed private suffix, then its private addresses pass, and nothing else does', async () => {
    const inCluster = urlPolicyFor('test', true, ['.svc.cluster.local']);
    const service = 'receiver.shop.svc.cluster.local';

    await expect(resolveVetted(service, inCluster, resolveTo('10.96.0.12'))).resolves.toHaveLength(
      1,
    );
    await expect(
      resolveVetted(`${service}.`, inCluster, resolveTo('fd00::12')),
    ).resolves.toHaveLength(1);
    // Still refused: other names, metadata and link-local addresses, the same name in live mode.
    await expect(resolveVetted('evil.example', inCluster, resolveTo('10.0.0.7'))).rejects.toThrow(
      /private/,
    );
    await expect(resolveVetted(service, inCluster, resolveTo('169.254.169.254'))).rejects.toThrow(
      /metadata/,
    );
    await expect(resolveVetted(service, inCluster, resolveTo('169.254.1.1'))).rejects.toThrow(
      /link-local/,
    );
    const liveInCluster = urlPolicyFor('live', true, ['.svc.cluster.local']);
    await expect(resolveVetted(service, liveInCluster, resolveTo('10.96.0.12'))).rejects.toThrow(
      /private/,
    );
  });

  it('when the name has no address, then it is refused', async () => {
    await expect(resolveVetted('empty.example', live, resolveTo())).rejects.toBeInstanceOf(
      UrlRefusedError,
    );
  });
});

describe('checkEndpointUrl', () => {
  it('when a live URL is http, then it is refused before any lookup', async () => {
    let looked = false;
    const resolve: ResolveHost = () => {
      looked = true;
      return Promise.resolve([{ address: '93.184.216.34', family: 4 }]);
    };

    await expect(checkEndpointUrl('http://shop.example/', live, resolve)).rejects.toThrow(
      'live-mode endpoints must use https://',
    );
    expect(looked).toBe(false);
  });

  it('when the name does not resolve yet, then it is accepted (checked again on connection)', async () => {
    const notFound: ResolveHost = () =>
      Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));

    await expect(
      checkEndpointUrl('https://later.example/', live, notFound),
    ).resolves.toBeUndefined();
  });
});

describe('host spellings', () => {
  // The guard judges the host after normalizing it: a spelling of loopback that reaches the
  // check unrecognized is a name nobody can resolve at registration (accepted: "checked again
  // on connection") or an address compared against the wrong string.
  const notFound: ResolveHost = () =>
    Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
  const loopbackSpellings = [
    'localhost',
    'localhost.',
    'LOCALHOST',
    'LocalHost..',
    'api.localhost',
    'API.LOCALHOST.',
    '%6c%6fcalhost',
    '127.0.0.1',
    '127.0.0.1.',
    '127.1',
    '2130706433',
    '0177.0.0.1',
    '0x7f.0.0.1',
    '0x7f000001',
    '[::1]',
    '[0:0:0:0:0:0:0:1]',
    '[::ffff:127.0.0.1]',
    '[::FFFF:7F00:1]',
  ];

  it.each(loopbackSpellings)(
    'when a live endpoint names loopback as %s, then it is refused without a lookup',
    async (host) => {
      await expect(checkEndpointUrl(`https://${host}/hooks`, live, notFound)).rejects.toThrow(
        /loopback/,
      );
    },
  );

  it.each(loopbackSpellings)(
    'when a test endpoint with loopback turned off names %s, then it is refused',
    async (host) => {
      await expect(
        checkEndpointUrl(`http://${host}:3000/hooks`, testWithoutLoopback, notFound),
      ).rejects.toThrow(/loopback/);
    },
  );

  it.each(loopbackSpellings)(
    "when a test endpoint names the platform's port on loopback as %s, then it is refused",
    async (host) => {
      const policy = urlPolicyFor('test', true, [], [4003]);
      await expect(checkEndpointUrl(`http://${host}:4003/`, policy, notFound)).rejects.toThrow(
        /belongs to the Expe platform/,
      );
      // The same spelling on another port is a developer's own receiver.
      await expect(
        checkEndpointUrl(`http://${host}:3000/`, policy, notFound),
      ).resolves.toBeUndefined();
    },
  );

  it.each(['10.0.0.1.', '012.0.0.1', '167772161', '[::ffff:10.0.0.1]', '[::ffff:a9fe:a9fe]'])(
    'when a private or metadata address is spelled %s, then live mode refuses it',
    async (host) => {
      await expect(checkEndpointUrl(`https://${host}/`, live, notFound)).rejects.toThrow(
        /private|metadata/,
      );
    },
  );
});
