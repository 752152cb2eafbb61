import type {
  TransferInput,
  TransferResource,
  WalletResource,
  z,
  walletTransactionSchema,
} from '@expe/contracts';
import { api, type ListPage } from '../../lib/api';

export type WalletTransaction = z.infer<typeof walletTransactionSchema>;

export const walletKeys = {
  all: ['wallet'] as const,
  wallet: ['wallet', 'summary'] as const,
  transactions: (cursor?: string) => ['wallet', 'transactions', cursor ?? 'first'] as const,
};

export const getWallet = () => api<WalletResource>('/v1/wallet');

export const topUp = (amount: number) =>
  api<{ id: string; balance: number }>('/v1/wallet/topup', { method: 'POST', body: { amount } });

export const sendMoney = (input: TransferInput) =>
  api<TransferResource>('/v1/wallet/transfers', { method: 'POST', body: input });

export const listTransactions = (startingAfter?: string) =>
  api<ListPage<WalletTransaction>>('/v1/wallet/transactions', {
    query: { limit: 10, starting_after: startingAfter },
  });
