import { appErrorOf } from '@expe/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { paramName, parseInput } from './validate.js';

const schema = z.strictObject({
  amount: z.number().int().positive(),
  card: z.strictObject({ number: z.string().regex(/^\d+$/) }).optional(),
});

describe('parseInput', () => {
  it('when a field is missing, then the 400 names it as parameter_missing', () => {
    const error = appErrorOf(() => parseInput(schema, {}));
    expect([error.httpStatus, error.code, error.param]).toEqual([
      400,
      'parameter_missing',
      'amount',
    ]);
  });

  it('when a nested field is invalid, then the param uses Stripe brackets', () => {
    const error = appErrorOf(() => parseInput(schema, { amount: 1, card: { number: 'x' } }));
    expect([error.code, error.param]).toEqual(['parameter_invalid', 'card[number]']);
  });

  it('when an unknown field is sent, then it is refused by name', () => {
    const error = appErrorOf(() => parseInput(schema, { amount: 1, colour: 'red' }));
    expect([error.code, error.param]).toEqual(['parameter_unknown', 'colour']);
  });

  it('when the input is valid, then the parsed value comes back', () => {
    expect(parseInput(schema, { amount: 5 })).toEqual({ amount: 5 });
  });

  it('when the input is nested 10,000 levels deep, then it is 400 body_too_deep, not a stack overflow', () => {
    const deep = JSON.parse('['.repeat(10_000) + ']'.repeat(10_000)) as unknown;
    const inField = {
      amount: 1,
      card: JSON.parse('{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)),
    };
    expect([appErrorOf(() => parseInput(schema, deep)).code]).toEqual(['body_too_deep']);
    expect([appErrorOf(() => parseInput(schema, inField)).code]).toEqual(['body_too_deep']);
  });

  it('when a metadata-like record has a __proto__ key, then it is refused by name, not dropped', () => {
    const record = z.strictObject({ metadata: z.record(z.string(), z.string()) });
    const error = appErrorOf(() =>
      parseInput(record, JSON.parse('{"metadata":{"__proto__":"x"}}')),
    );
    expect([error.code, error.param]).toEqual(['parameter_invalid', 'metadata[__proto__]']);
  });

  it('renders paths', () => {
    expect(paramName(['metadata', 'order', 0])).toBe('metadata[order][0]');
  });
});
