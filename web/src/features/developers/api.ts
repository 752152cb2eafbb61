import type { TestClockResource } from '@expe/contracts';
import { api } from '../../lib/api';

export const testClockKeys = {
  clock: (keyId: string) => ['test-clock', keyId] as const,
};

export const getTestClock = (secret: string) =>
  api<TestClockResource>('/v1/test_helpers/clock', { auth: { bearer: secret } });

/** Moves the project's test clock ahead; everything due as of the new time runs before it answers. */
export const advanceTestClock = (secret: string, seconds: number) =>
  api<TestClockResource>('/v1/test_helpers/clock/advance', {
    method: 'POST',
    body: { seconds },
    auth: { bearer: secret },
  });
