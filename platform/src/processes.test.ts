import { describe, expect, it } from 'vitest';
import { startPlatformProcesses } from './processes.js';

describe('the platform in a process per service', () => {
  it('when REDIS_URL is the embedded memory: one, then it refuses to start, saying it lives in one process', async () => {
    await expect(startPlatformProcesses({ env: { REDIS_URL: 'memory://expe' } })).rejects.toThrow(
      /REDIS_URL memory:\/\/expe is Redis embedded in one process/,
    );
  });
});
