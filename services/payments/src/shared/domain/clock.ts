import type { Executor } from '@expe/server-kit';
import { readOffsetSeconds, type ClockScope } from '../db/test-clock-repository.js';

export type { ClockScope, DueAt } from '../db/test-clock-repository.js';

/**
 * The one clock every time-dependent rule of payments reads (expiry, pending UPI, authorization
 * expiry, funds availability, dispute deadlines, ...). Injected through the context so tests may
 * replace real time; test mode adds the project's advanced offset, kept in PostgreSQL so every
 * replica and restart agrees.
 */
export interface Clock {
  /** Real time (the base of every clock). */
  realNow(): Date;
  /** The time as this project and mode see it: live = real time; test = real time + offset. */
  now(db: Executor, scope: ClockScope): Promise<Date>;
}

export function createClock(realNow: () => Date = () => new Date()): Clock {
  return {
    realNow,
    async now(db, scope) {
      const base = realNow();
      if (scope.mode === 'live') return base;
      const offset = await readOffsetSeconds(db, scope);
      return new Date(base.getTime() + offset * 1000);
    },
  };
}
