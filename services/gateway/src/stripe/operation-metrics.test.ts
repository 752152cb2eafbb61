import { describe, expect, it } from 'vitest';
import { stripeClientOf } from './operation-metrics.js';

describe('stripeClientOf', () => {
  it('names the official SDKs by their User-Agent and everything else other', () => {
    expect(stripeClientOf('Stripe/v1 NodeBindings/18.5.0')).toBe('stripe-node');
    expect(stripeClientOf('Stripe/v1 GoBindings/85.0.0')).toBe('stripe-go');
    expect(stripeClientOf('Stripe/v1 PythonBindings/12.0.0')).toBe('stripe-python');
    expect(stripeClientOf('Stripe/v1 .NetBindings/48.0.0')).toBe('stripe-dotnet');
    // Bounded labels: an unknown language, curl or no header at all is `other`.
    expect(stripeClientOf('Stripe/v1 CobolBindings/1.0')).toBe('other');
    expect(stripeClientOf('curl/8.5.0')).toBe('other');
    expect(stripeClientOf(undefined)).toBe('other');
  });
});
