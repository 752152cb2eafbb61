import type { WebhookEndpoint } from '../../api/v1alpha1/index.js';
import type { WebhookEndpointResource } from '@expe/contracts';
import { describe, expect, it } from 'vitest';
import { endpointDrift } from './reconciler.js';

const endpoint: WebhookEndpoint = {
  apiVersion: 'expe.dev/v1alpha1',
  kind: 'WebhookEndpoint',
  metadata: { name: 'hooks', namespace: 'shop' },
  spec: {
    merchantRef: { name: 'acme' },
    project: 'web',
    mode: 'test',
    url: 'https://shop.example/hooks',
    enabledEvents: ['payment.succeeded', 'refund.succeeded'],
    signingSecretRef: { name: 'hooks-signing' },
  },
};

const registered: WebhookEndpointResource = {
  id: 'we_1',
  object: 'webhook_endpoint',
  url: 'https://shop.example/hooks',
  enabled_events: ['refund.succeeded', 'payment.succeeded'],
  description: null,
  status: 'enabled',
  livemode: false,
  created: 1,
};

describe('endpointDrift', () => {
  it('when the registered endpoint matches the spec (events in any order), then there is nothing to update', () => {
    expect(endpointDrift(endpoint, registered)).toBeUndefined();
  });

  it('when url, events or disabled differ, then the update carries the whole spec', () => {
    const changed = {
      ...endpoint,
      spec: { ...endpoint.spec, disabled: true, enabledEvents: ['*'] },
    };

    expect(endpointDrift(changed, registered)).toEqual({
      url: 'https://shop.example/hooks',
      enabled_events: ['*'],
      disabled: true,
    });
    expect(endpointDrift(endpoint, { ...registered, url: 'https://elsewhere.example/' })).toEqual({
      url: 'https://shop.example/hooks',
      enabled_events: ['payment.succeeded', 'refund.succeeded'],
      disabled: false,
    });
  });
});
