import type { Executor, Logger, Redis } from '@expe/server-kit';
import type { AuthConfig } from '../config.js';
import type { BackgroundTasks } from '../lib/background-tasks.js';
import type { LoginThrottle } from './login-throttle.js';
import type { PasswordHasher } from './passwords.js';

/** The merchants service, as registration needs it. */
export interface MerchantAccounts {
  createMerchant(input: {
    ownerUserId: string;
    name: string;
    email: string;
  }): Promise<{ id: string }>;
}

/** Everything a use case may touch; built once per app in `createApp`. */
export interface AuthContext {
  config: AuthConfig;
  /** The database, or the transaction of the request's Idempotency-Key. */
  db: Executor;
  redis: Redis;
  logger: Logger;
  passwords: PasswordHasher;
  loginThrottle: LoginThrottle;
  merchants: MerchantAccounts;
  background: BackgroundTasks;
  isDevMailboxEnabled: boolean;
}
