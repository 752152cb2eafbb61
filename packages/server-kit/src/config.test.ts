import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, baseConfigShape, loadConfig, portVar } from './config.js';

const schema = z.object({ ...baseConfigShape, PORT: portVar(4000) });
const valid = { INTERNAL_AUTH_SECRET: 'x'.repeat(40) };

describe('loadConfig', () => {
  it('when a required secret is missing or short, then it fails naming the variable', () => {
    for (const env of [{}, { INTERNAL_AUTH_SECRET: 'short' }]) {
      try {
        loadConfig(schema, env);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).problems.map((p) => p.variable)).toEqual([
          'INTERNAL_AUTH_SECRET',
        ]);
      }
    }
  });

  it('when valid, then defaults apply and secrets are wrapped so they never print', () => {
    const config = loadConfig(schema, { ...valid, PORT: '5000' });
    expect(config.PORT).toBe(5000);
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(JSON.stringify(config)).not.toContain('x'.repeat(40));
    expect(String(config.INTERNAL_AUTH_SECRET)).toBe('[redacted]');
    expect(config.INTERNAL_AUTH_SECRET.reveal()).toBe('x'.repeat(40));
  });

  it('when a number is not a number, then that variable is named', () => {
    expect(() => loadConfig(schema, { ...valid, PORT: 'eighty' })).toThrow(/PORT/);
  });
});
