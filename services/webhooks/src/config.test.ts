import { generateKeyPairSync } from 'node:crypto';
import { ConfigError } from '@expe/server-kit';
import { describe, expect, it } from 'vitest';
import { loadWebhooksConfig, parseDuration } from './config.js';

const gatewayKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();
const required = {
  IDENTITY_PUBLIC_KEY_GATEWAY: gatewayKey,
  WEBHOOK_SECRET_ENCRYPTION_KEY: 'y'.repeat(32),
};

describe('webhooks config', () => {
  it('when only the secrets are set, then the defaults are the documented retry schedule', () => {
    const config = loadWebhooksConfig(required);

    expect(config.PORT).toBe(4004);
    expect(config.RETRY_SCHEDULE).toEqual([
      5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000,
    ]);
    expect(config.DISABLE_AFTER_FAILING_FOR).toBe(3 * 86_400_000);
    expect(config.DELIVERY_TIMEOUT_MS).toBe(10_000);
    expect(config.WORKER_CONCURRENCY).toBe(10);
    expect(config.WEBHOOK_ALLOW_LOOPBACK_IN_TEST).toBe(true);
    expect(config.RUN_WORKER).toBe(true);
    expect(String(config.WEBHOOK_SECRET_ENCRYPTION_KEY)).toBe('[redacted]');
  });

  it.each([
    ['WEBHOOK_SECRET_ENCRYPTION_KEY', { IDENTITY_PUBLIC_KEY_GATEWAY: gatewayKey }],
    ['RETRY_SCHEDULE', { ...required, RETRY_SCHEDULE: '5s,soon' }],
    ['DISABLE_AFTER_FAILING_FOR', { ...required, DISABLE_AFTER_FAILING_FOR: '0s' }],
    ['WORKER_CONCURRENCY', { ...required, WORKER_CONCURRENCY: '0' }],
  ])('when %s is invalid, then loading fails naming it', (variable, env) => {
    try {
      loadWebhooksConfig(env);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.variable)).toContain(variable);
    }
  });

  it('parses durations in ms, s, m, h and d', () => {
    expect(['250ms', '5s', '2m', '1h', '3d', '5', '1w'].map(parseDuration)).toEqual([
      250,
      5_000,
      120_000,
      3_600_000,
      259_200_000,
      undefined,
      undefined,
    ]);
  });
});
