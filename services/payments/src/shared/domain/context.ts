import type { Database, Logger } from '@expe/server-kit';
import type { PaymentsConfig } from '../../config.js';
import type { Clock } from './clock.js';
import type { PaymentMetrics } from './metrics.js';
import type { PaymentLinks } from '../../payments/domain/resources.js';

/** A user as the auth service describes them to payments. */
export interface DirectoryUser {
  id: string;
  email: string;
  name: string;
  vpa: string;
  role: 'user' | 'merchant' | 'admin';
}

export interface DirectoryMerchant {
  id: string;
  name: string;
  email: string;
}

/** Lookups in the auth service; answers may be cached briefly (they never decide money). */
export interface UserDirectory {
  /** The user, or `undefined` when auth does not know the id. */
  getUser(id: string): Promise<DirectoryUser | undefined>;
  /** The user with this VPA or email, or `undefined`. */
  resolveHandle(handle: string): Promise<DirectoryUser | undefined>;
}

/** Lookups in the merchants service. */
export interface MerchantDirectory {
  getMerchant(id: string): Promise<DirectoryMerchant | undefined>;
  getMerchantOfOwner(userId: string): Promise<DirectoryMerchant | undefined>;
  /** Sandbox projects past their end whose test data is not archived yet. */
  endedSandboxes(limit: number): Promise<EndedSandbox[]>;
  /** Reports a sandbox's test data archived: merchants deletes it and revokes its keys. */
  reportSandboxArchived(projectId: string): Promise<void>;
}

export interface EndedSandbox {
  projectId: string;
  merchantId: string;
}

/** What the use cases need; built once in app.ts. */
export interface PaymentsContext {
  db: Database;
  config: PaymentsConfig;
  logger: Logger;
  users: UserDirectory;
  merchants: MerchantDirectory;
  links: PaymentLinks;
  metrics: PaymentMetrics;
  /** The time every rule reads: real time in live mode, the merchant's test clock in test mode. */
  clock: Clock;
  /**
   * Wakes this process's outbox relay: for a writer whose SQL asked the events trigger not to
   * NOTIFY (the wallet transfer, migration 0016), once its transaction committed.
   */
  wakeRelay: () => void;
}
