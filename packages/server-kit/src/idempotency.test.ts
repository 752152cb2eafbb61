import { describe, expect, it } from 'vitest';
import { canonicalJson, requestFingerprint } from './idempotency.js';

describe('requestFingerprint', () => {
  it('when only the key order differs, then the fingerprint is the same', () => {
    const a = requestFingerprint('POST', '/v1/payments', {
      amount: 1,
      currency: 'inr',
      metadata: { b: '2', a: '1' },
    });
    const b = requestFingerprint('post', '/v1/payments', {
      metadata: { a: '1', b: '2' },
      currency: 'inr',
      amount: 1,
    });

    expect(a).toBe(b);
  });

  it('when the value, the path or the method differs, then the fingerprint differs', () => {
    const base = requestFingerprint('POST', '/v1/payments', { amount: 1 });

    expect(requestFingerprint('POST', '/v1/payments', { amount: 2 })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/refunds', { amount: 1 })).not.toBe(base);
    expect(requestFingerprint('PUT', '/v1/payments', { amount: 1 })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/payments', { amount: '1' })).not.toBe(base);
  });
});

describe('canonicalJson', () => {
  it('when given nested objects and arrays, then keys are sorted and array order is kept', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: null }], a: 'x', skipped: undefined })).toBe(
      '{"a":"x","b":[2,{"c":null,"d":1}]}',
    );
  });
});
