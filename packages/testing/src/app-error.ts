import { AppError } from '@expe/server-kit';

/** The AppError that `fn` throws; any other throw is rethrown, and no throw fails the test. */
export function appErrorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}
