import type { z } from 'zod';
import { unixSeconds } from '@expe/server-kit';
import type { TransferResource, walletTransactionSchema } from '@expe/contracts';
import type { TopupRow, TransferRow, WalletEntryRow } from '../db/wallet-repository.js';
import { merchantVpa } from '../../payments/domain/upi-uri.js';

const timestamp = (date: Date) => unixSeconds(date);

export type WalletTransactionResource = z.infer<typeof walletTransactionSchema>;

export function toTransferResource(row: TransferRow): TransferResource {
  return {
    id: row.id,
    object: 'transfer',
    amount: row.amount,
    currency: 'inr',
    from: { user_id: row.fromUserId, vpa: row.fromVpa },
    to: { user_id: row.toUserId, vpa: row.toVpa },
    note: row.note,
    status: 'completed',
    created: timestamp(row.createdAt),
  };
}

export function toTopupResource(row: TopupRow, balance: number) {
  return {
    id: row.id,
    object: 'topup' as const,
    amount: row.amount,
    currency: 'inr' as const,
    balance,
    created: timestamp(row.createdAt),
  };
}

export function toWalletTransactionResource(row: WalletEntryRow): WalletTransactionResource {
  const base = {
    id: row.entryId,
    object: 'wallet_transaction' as const,
    amount: row.amount,
    currency: 'inr' as const,
    reference: row.reference,
    created: timestamp(row.createdAt),
  };
  switch (row.kind) {
    case 'topup':
      return {
        ...base,
        type: 'topup',
        counterparty: { kind: 'sandbox', id: null, name: 'Sandbox funding', vpa: null },
        note: null,
      };
    case 'transfer': {
      const isOutgoing = row.amount < 0;
      const transfer = row.transfer;
      return {
        ...base,
        type: isOutgoing ? 'transfer_out' : 'transfer_in',
        counterparty: transfer
          ? {
              kind: 'user',
              id: isOutgoing ? transfer.toUserId : transfer.fromUserId,
              name: isOutgoing ? transfer.toName : transfer.fromName,
              vpa: isOutgoing ? transfer.toVpa : transfer.fromVpa,
            }
          : null,
        note: transfer?.note ?? null,
      };
    }
    case 'payment':
    case 'refund':
    case 'authorization':
    case 'release':
      return {
        ...base,
        type: row.kind === 'authorization' ? 'hold' : row.kind,
        counterparty: row.payment
          ? {
              kind: 'merchant',
              id: row.payment.merchantId,
              name: row.payment.merchantName,
              vpa: merchantVpa(row.payment.merchantId),
            }
          : null,
        note: row.payment?.description ?? null,
      };
    default:
      // Movements of merchant balances only (availability, disputes, payouts) touch no wallet.
      throw new Error(`a ${row.kind} ledger movement has no wallet entries`);
  }
}
