import { describe, expect, it } from 'vitest';
import { platformPortsSetting } from './platform-ports.js';

describe('platformPortsSetting', () => {
  it('when npm start runs its private PostgreSQL and Redis on random ports, then those ports are in the setting with every service port', () => {
    const setting = platformPortsSetting({
      env: {
        DATABASE_URL: 'postgres://postgres@127.0.0.1:41234/expe',
        REDIS_URL: 'redis://127.0.0.1:39876',
      },
      ports: [4000, 4001, 4002, 4003, 4004, 12111],
    });
    expect(setting).toBe('4000,4001,4002,4003,4004,12111,39876,41234');
  });

  it('when the stores are elsewhere or name no port, then only loopback ones count, at their default port', () => {
    expect(
      platformPortsSetting({
        env: { DATABASE_URL: 'postgres://db.internal:5433/expe', REDIS_URL: 'redis://localhost' },
        ports: [4000],
      }),
    ).toBe('4000,6379');
    expect(
      platformPortsSetting({
        env: { DATABASE_URL: 'postgres://[::1]/expe', REDIS_URL: 'not a url' },
        ports: [0, undefined],
      }),
    ).toBe('5432');
  });

  it('when WEBHOOK_PLATFORM_PORTS is set, then its ports are kept besides the facts', () => {
    expect(
      platformPortsSetting({ env: { WEBHOOK_PLATFORM_PORTS: '9000, 4000,x' }, ports: [4000] }),
    ).toBe('4000,9000');
  });
});
