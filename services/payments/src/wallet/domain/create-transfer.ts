import { AppError, newId, type Executor } from '@expe/server-kit';
import { insertTransfer, type TransferRow } from '../db/wallet-repository.js';
import type { DirectoryUser, UserDirectory } from '../../shared/domain/context.js';
import { recordEvent } from '../../events/domain/events.js';
import {
  InsufficientFundsError,
  postLedgerTransaction,
  walletAccount,
  walletCurrency,
} from '../../ledger/index.js';
import { toTransferResource } from './wallet-resources.js';
import { getWalletOwner } from './wallet.js';

/**
 * Finds both parties before any transaction opens (they live in the auth service). `to` is a
 * VPA or an email; unknown and self are refused as bad input on `to`.
 */
export async function resolveTransferParties(
  users: UserDirectory,
  fromUserId: string,
  to: string,
): Promise<{ sender: DirectoryUser; recipient: DirectoryUser }> {
  const recipient = await users.resolveHandle(to);
  if (!recipient) {
    throw AppError.of('recipient_not_found', `No Expe user has the VPA or email '${to}'`, {
      param: 'to',
    });
  }
  if (recipient.id === fromUserId) {
    throw AppError.of('parameter_invalid', 'You cannot send money to yourself', { param: 'to' });
  }
  return { sender: await getWalletOwner(users, fromUserId), recipient };
}

export interface TransferCommand {
  sender: DirectoryUser;
  recipient: DirectoryUser;
  amount: number;
  note?: string | undefined;
}

/** Moves money between two wallets, with its `transfer.completed` event. */
export async function createTransfer(tx: Executor, command: TransferCommand): Promise<TransferRow> {
  const { sender, recipient } = command;
  const now = new Date();
  const transfer = await insertTransfer(tx, {
    id: newId('txn'),
    fromUserId: sender.id,
    fromVpa: sender.vpa,
    fromName: sender.name,
    toUserId: recipient.id,
    toVpa: recipient.vpa,
    toName: recipient.name,
    amount: command.amount,
    currency: walletCurrency,
    note: command.note || null,
    createdAt: now,
  });
  await recordEvent(tx, {
    type: 'transfer.completed',
    mode: 'test',
    merchantId: null,
    projectId: null,
    userIds: [sender.id, recipient.id],
    objectId: transfer.id,
    paymentId: null,
    data: toTransferResource(transfer),
    createdAt: now,
  });
  // Last: the ledger posting locks both wallets until COMMIT.
  try {
    await postLedgerTransaction(tx, {
      kind: 'transfer',
      reference: transfer.id,
      createdAt: now,
      entries: [
        { account: walletAccount(sender.id), amount: -command.amount },
        { account: walletAccount(recipient.id), amount: command.amount },
      ],
    });
  } catch (error) {
    if (!(error instanceof InsufficientFundsError)) throw error;
    throw AppError.of('insufficient_funds', 'Your wallet balance is too low for this transfer', {
      param: 'amount',
      type: 'card_error',
    });
  }
  return transfer;
}
