import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../api/v1alpha1/index.js';
import {
  expiresAtOf,
  newProjectName,
  parseEndpointIds,
  parseTtlSeconds,
  requeueUntilEnd,
  secretNameOf,
  webhookSecretKey,
} from './desired.js';

const sandbox = (spec: Partial<Sandbox['spec']> = {}, name = 'ci-1234'): Sandbox => ({
  apiVersion: 'expe.dev/v1alpha1',
  kind: 'Sandbox',
  metadata: { name, namespace: 'ci', creationTimestamp: '2026-12-07T10:00:00Z' },
  spec: { merchantRef: { name: 'acme' }, ttl: '1h', ...spec },
});

describe('Sandbox desired state', () => {
  it('when a ttl has hours, minutes and seconds, then it is their sum in seconds; anything else is undefined', () => {
    expect(parseTtlSeconds('90s')).toBe(90);
    expect(parseTtlSeconds('15m')).toBe(900);
    expect(parseTtlSeconds('1h30m')).toBe(5_400);
    expect(parseTtlSeconds('720h')).toBe(2_592_000);
    expect(parseTtlSeconds('1h2m3s')).toBe(3_723);
    for (const bad of ['', '1d', '1.5h', '-1h', '1m1h', '1h ', 'h']) {
      expect(parseTtlSeconds(bad), bad).toBeUndefined();
    }
  });

  it('when the end is computed, then it is the creation plus the ttl, whenever the pass runs', () => {
    expect(expiresAtOf(sandbox({ ttl: '1h30m' }))?.toISOString()).toBe('2026-12-07T11:30:00.000Z');
    expect(expiresAtOf(sandbox({ ttl: '2d' }))).toBeUndefined();
  });

  it('when the pass before the end asks to run again, then it waits until just after the end, at most a day', () => {
    const end = new Date('2026-12-07T11:00:00Z');

    expect(requeueUntilEnd(end, new Date('2026-12-07T10:59:00Z'))).toBe(60_250);
    expect(requeueUntilEnd(end, new Date('2026-12-07T11:00:05Z'))).toBe(250);
    expect(requeueUntilEnd(new Date('2027-01-01T00:00:00Z'), end)).toBe(86_400_000);
  });

  it('when names are derived, then the Secret defaults to the Sandbox name and each endpoint has its variable', () => {
    expect(secretNameOf(sandbox())).toBe('ci-1234');
    expect(secretNameOf(sandbox({ secretName: 'expe-env' }))).toBe('expe-env');
    expect(webhookSecretKey('order-events')).toBe('EXPE_WEBHOOK_SECRET_ORDER_EVENTS');
  });

  it('when a project name is made, then it names the Sandbox, is unique by its suffix and fits 100 characters', () => {
    expect(newProjectName(sandbox(), () => 'abc123')).toBe('sandbox ci/ci-1234 abc123');
    const long = newProjectName(sandbox({}, 'x'.repeat(253)));
    expect(long.length).toBeLessThanOrEqual(100);
    expect(long).toMatch(/^sandbox ci\/x+ [0-9a-f]{12}$/);
    expect(newProjectName(sandbox())).not.toBe(newProjectName(sandbox()));
  });

  it('when the endpoint ids annotation is read, then only string entries count and bad JSON is none', () => {
    expect(parseEndpointIds('{"orders":"we_1","bad":3}')).toEqual({ orders: 'we_1' });
    expect(parseEndpointIds('not json')).toEqual({});
    expect(parseEndpointIds(undefined)).toEqual({});
  });
});
