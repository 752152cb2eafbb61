import type { V1Secret } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { describeHolder, isOwnedBy, managedByLabel } from './secrets.js';

const owner = { apiVersion: 'expe.dev/v1alpha1', kind: 'Merchant', name: 'acme' };

function secret(metadata: V1Secret['metadata']): V1Secret {
  return { apiVersion: 'v1', kind: 'Secret', metadata };
}

const controlledBy = (ref: Partial<typeof owner> & { controller?: boolean; uid?: string }) => ({
  ...owner,
  uid: 'old-uid',
  controller: true,
  ...ref,
});

describe('isOwnedBy', () => {
  it('when the Secret is labelled by the operator and controlled by the resource, then it is owned (whatever the UID)', () => {
    const restored = secret({ labels: { ...managedByLabel }, ownerReferences: [controlledBy({})] });

    expect(isOwnedBy(restored, owner)).toBe(true);
  });

  const labels = { ...managedByLabel };
  it.each([
    ['has no operator label', { ownerReferences: [controlledBy({})] }],
    [
      'is controlled by another Merchant',
      { labels, ownerReferences: [controlledBy({ name: 'other' })] },
    ],
    [
      'is controlled by another kind',
      { labels, ownerReferences: [controlledBy({ kind: 'WebhookEndpoint' })] },
    ],
    [
      'is controlled by another group',
      { labels, ownerReferences: [controlledBy({ apiVersion: 'shop.example/v1' })] },
    ],
    [
      'only references the resource',
      { labels, ownerReferences: [controlledBy({ controller: false })] },
    ],
    ['has no owner at all', { labels }],
  ])('when the Secret %s, then it is not owned', (_what, metadata) => {
    expect(isOwnedBy(secret(metadata), owner)).toBe(false);
  });

  it('when a conflict is described, then it names the controller, never the data', () => {
    const held = secret({ ownerReferences: [controlledBy({ name: 'other' })] });

    expect(describeHolder(held)).toBe('controlled by Merchant other');
    expect(describeHolder(secret({}))).toBe('not created by expe-operator');
  });
});
