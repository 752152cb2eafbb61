import type { Merchant } from '../../api/v1alpha1/index.js';
import { describe, expect, it } from 'vitest';
import {
  apiKeySecret,
  desiredKeys,
  hasFinalizer,
  merchantFinalizer,
  removedKeyIds,
  withFinalizer,
  withoutFinalizer,
} from './desired.js';

const merchant: Merchant = {
  apiVersion: 'expe.dev/v1alpha1',
  kind: 'Merchant',
  metadata: { name: 'acme', namespace: 'shop', uid: 'uid-1' },
  spec: {
    displayName: 'Acme',
    email: 'acme@example.com',
    projects: [
      { name: 'web', apiKeys: [{ name: 'server', mode: 'test', secretName: 'web-test' }] },
      { name: 'empty' },
      { name: 'pos', apiKeys: [{ name: 'till', mode: 'live', secretName: 'pos-live' }] },
    ],
  },
};

describe('merchant desired state', () => {
  it('when the spec has keys in several projects, then desiredKeys lists them in spec order', () => {
    expect(desiredKeys(merchant)).toEqual([
      { project: 'web', name: 'server', mode: 'test', secretName: 'web-test' },
      { project: 'pos', name: 'till', mode: 'live', secretName: 'pos-live' },
    ]);
  });

  it('when a key Secret is built, then it is owned by the Merchant and carries the documented keys', () => {
    const secret = apiKeySecret(
      merchant,
      'web-test',
      {
        id: 'key_1',
        mode: 'test',
        project: 'prj_1',
        secret: 'sk_test_x',
        publishable: 'pk_test_y',
      },
      'mer_1',
    );

    expect(secret).toEqual({
      key: { namespace: 'shop', name: 'web-test' },
      owner: {
        apiVersion: 'expe.dev/v1alpha1',
        kind: 'Merchant',
        name: 'acme',
        uid: 'uid-1',
        controller: true,
        blockOwnerDeletion: true,
      },
      data: {
        secretKey: 'sk_test_x',
        publishableKey: 'pk_test_y',
        keyId: 'key_1',
        mode: 'test',
        projectId: 'prj_1',
        merchantId: 'mer_1',
      },
    });
  });

  it('when a key left the spec, then removedKeyIds names it, with the Secret it was written to, and nothing else', () => {
    const previous = [
      {
        name: 'web',
        id: 'prj_1',
        apiKeys: [
          { name: 'server', id: 'key_1', mode: 'test' as const, secretName: 'a' },
          { name: 'old', id: 'key_2', mode: 'test' as const, secretName: 'b' },
        ],
      },
    ];
    const next = [{ name: 'web', id: 'prj_1', apiKeys: [previous[0]!.apiKeys[0]!] }];

    expect(removedKeyIds(previous, next)).toEqual([
      { projectId: 'prj_1', keyId: 'key_2', name: 'old', secretName: 'b' },
    ]);
    expect(removedKeyIds(undefined, next)).toEqual([]);
  });

  it('when the finalizer is added and removed, then other finalizers stay', () => {
    const other = { metadata: { finalizers: ['someone/else'] } };

    const added = withFinalizer(other, merchantFinalizer);
    const removed = withoutFinalizer(added, merchantFinalizer);

    expect(hasFinalizer(added, merchantFinalizer)).toBe(true);
    expect(removed.metadata.finalizers).toEqual(['someone/else']);
  });
});
