import type {
  BalanceTransactionResource,
  CreatePayoutInput,
  PayoutResource,
  balanceSchema,
  z,
} from '@expe/contracts';
import { api, type ListPage } from '../../lib/api';

export type Balance = z.infer<typeof balanceSchema>;

/** Query keys include the key id: another project or mode is another cache entry. */
export const balanceKeys = {
  all: ['balance'] as const,
  balance: (keyId: string) => ['balance', keyId, 'balance'] as const,
  transactions: (keyId: string, type: string, cursor?: string) =>
    ['balance', keyId, 'transactions', type, cursor ?? 'first'] as const,
  payouts: (keyId: string, cursor?: string) =>
    ['balance', keyId, 'payouts', cursor ?? 'first'] as const,
};

const withKey = (secret: string) => ({ bearer: secret });

export const getBalance = (secret: string) =>
  api<Balance>('/v1/balance', { auth: withKey(secret) });

export const listBalanceTransactions = (secret: string, type: string, startingAfter?: string) =>
  api<ListPage<BalanceTransactionResource>>('/v1/balance_transactions', {
    auth: withKey(secret),
    query: { limit: 20, type: type || undefined, starting_after: startingAfter },
  });

export const listPayouts = (secret: string, startingAfter?: string) =>
  api<ListPage<PayoutResource>>('/v1/payouts', {
    auth: withKey(secret),
    query: { limit: 10, starting_after: startingAfter },
  });

export const createPayout = (secret: string, input: CreatePayoutInput) =>
  api<PayoutResource>('/v1/payouts', { method: 'POST', body: input, auth: withKey(secret) });
