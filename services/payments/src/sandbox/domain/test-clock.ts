import { AppError, type Executor, type Scope } from '@expe/server-kit';
import { maxClockAdvanceSeconds } from '@expe/contracts';
import type { Clock } from '../../shared/domain/clock.js';
import {
  advanceTestClockOffset,
  readOffsetSeconds,
} from '../../shared/db/test-clock-repository.js';

export interface TestClockState {
  now: Date;
  offsetSeconds: number;
}

/** The project's test-mode time and how far it is ahead of real time. */
export async function getTestClock(
  db: Executor,
  clock: Clock,
  scope: Scope,
): Promise<TestClockState> {
  const offsetSeconds = await readOffsetSeconds(db, scope);
  return { now: new Date(clock.realNow().getTime() + offsetSeconds * 1000), offsetSeconds };
}

/**
 * Moves the project's test clock `seconds` ahead. A clock only goes forward, by a bounded step:
 * zero, negative or too large is 400 `clock_advance_invalid` on `seconds`. The caller runs the
 * work that became due once this has committed (domain/due-work.ts).
 */
export async function advanceTestClock(
  tx: Executor,
  clock: Clock,
  scope: Scope,
  seconds: number,
): Promise<TestClockState> {
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > maxClockAdvanceSeconds) {
    throw AppError.of(
      'clock_advance_invalid',
      `Invalid seconds: a test clock moves ahead only, by 1 to ${maxClockAdvanceSeconds} seconds at a time`,
      { param: 'seconds' },
    );
  }
  const offsetSeconds = await advanceTestClockOffset(tx, scope, seconds);
  return { now: new Date(clock.realNow().getTime() + offsetSeconds * 1000), offsetSeconds };
}
