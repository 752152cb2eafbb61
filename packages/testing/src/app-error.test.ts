import { AppError } from '@expe/server-kit';
import { describe, expect, it } from 'vitest';
import { appErrorOf } from './app-error.js';

describe('appErrorOf', () => {
  it('when the function throws an AppError, then that error is returned', () => {
    const thrown = AppError.of('parameter_missing', 'Missing required param: amount');

    expect(
      appErrorOf(() => {
        throw thrown;
      }),
    ).toBe(thrown);
  });

  it('when the function throws anything else, then it is rethrown', () => {
    expect(() =>
      appErrorOf(() => {
        throw new TypeError('boom');
      }),
    ).toThrow(TypeError);
  });

  it('when the function does not throw, then the test fails', () => {
    expect(() => appErrorOf(() => 1)).toThrow('expected an AppError');
  });
});
