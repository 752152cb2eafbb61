import { context, propagation } from '@opentelemetry/api';
import {
  AppError,
  isRetryableConflict,
  newId,
  renderError,
  type Database,
  type IdempotentRequest,
  type IdempotentResponse,
} from '@expe/server-kit';
import {
  insertTransferWithEffects,
  storeIdempotencyRefusal,
  type IdempotencyClaim,
  type IdempotencyOutcomeRow,
  type NewTransferEvent,
  type TransferRow,
} from '../db/wallet-repository.js';
import type { DirectoryUser, UserDirectory } from '../../shared/domain/context.js';
import {
  InsufficientFundsError,
  prepareLedgerPosting,
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

/** The Idempotency-Key side of a transfer request: the kit's request, without `prepare`. */
export type TransferRequest = Omit<IdempotentRequest, 'prepare'>;

/** A transfer's answer, and what to do once it was sent (only when this request made it). */
export interface TransferOutcome {
  response: IdempotentResponse;
  transfer?: TransferRow;
}

/**
 * Moves money between two wallets, with its `transfer.completed` event, under the request's
 * Idempotency-Key: the kit's `runIdempotent` semantics (a concurrent duplicate gets 409, a
 * stored answer is replayed byte for byte, another request under the same key gets 422, a
 * refusal is stored, the first stored answer wins), in one statement
 * (`payments.create_wallet_transfer`, migration 0014) instead of eight round trips. A
 * serialization failure or deadlock reruns the statement, as `withTransaction` would.
 */
export async function createTransfer(
  db: Database,
  request: TransferRequest,
  command: TransferCommand,
): Promise<TransferOutcome> {
  const { sender, recipient } = command;
  for (let round = 1; ; round++) {
    const now = new Date();
    const claim = {
      scope: request.scope,
      key: request.key ?? null,
      requestHash: request.fingerprint,
      now,
      expiresAt: new Date(now.getTime() + request.ttlSeconds * 1000),
    };
    const transfer: TransferRow = {
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
    };
    const resource = toTransferResource(transfer);
    const posting = prepareLedgerPosting({
      kind: 'transfer',
      reference: transfer.id,
      createdAt: now,
      entries: [
        { account: walletAccount(sender.id), amount: -command.amount },
        { account: walletAccount(recipient.id), amount: command.amount },
      ],
    });
    const body = JSON.stringify(resource);
    let row;
    try {
      row = await insertTransferWithEffects(
        db,
        claim,
        transfer,
        transferEvent(transfer, resource),
        posting,
        body,
      );
    } catch (error) {
      if (round < maxRounds && (isRetryableConflict(error) || isAnsweredMeanwhile(error))) {
        await backOff(round);
        continue;
      }
      const refusal = posting.refusalOf(error);
      if (!refusal) throw error;
      return { response: await refuse(db, request, claim, transferRefusal(refusal)) };
    }
    switch (row.outcome) {
      case 'in_use':
        throw keyInUse();
      case 'stored':
        return { response: replay(request, row) };
      case 'created':
        return { response: { status: 201, body, isReplay: false }, transfer };
    }
  }
}

const maxRounds = 6;

/** Full jitter, as `withTransaction`: concurrent losers spread out. */
function backOff(round: number): Promise<void> {
  const delay = Math.random() * Math.min(250, 5 * 2 ** round);
  return new Promise((resolve) => setTimeout(resolve, delay));
}

/** SQLSTATE EX409 of `create_wallet_transfer`: the key got an answer while this one ran. */
function isAnsweredMeanwhile(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    if ((current as { code?: unknown }).code === 'EX409') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The ledger's refusal in the words of the transfer API. */
function transferRefusal(refusal: AppError): AppError {
  if (!(refusal instanceof InsufficientFundsError)) return refusal;
  return AppError.of('insufficient_funds', 'Your wallet balance is too low for this transfer', {
    param: 'amount',
    type: 'card_error',
  });
}

/**
 * A refusal with a key is stored (so a retry gets the same answer) unless an answer was stored
 * meanwhile, which is replayed instead; without a key it is simply thrown.
 */
async function refuse(
  db: Database,
  request: TransferRequest,
  claim: IdempotencyClaim,
  refusal: AppError,
): Promise<IdempotentResponse> {
  if (claim.key === null) throw refusal;
  const body = JSON.stringify(renderError(refusal, request.requestId));
  const row = await storeIdempotencyRefusal(
    db,
    { ...claim, key: claim.key },
    refusal.httpStatus,
    body,
  );
  if (row?.outcome === 'stored') return replay(request, row);
  return { status: refusal.httpStatus, body, isReplay: false };
}

function replay(request: TransferRequest, row: IdempotencyOutcomeRow): IdempotentResponse {
  if (row.request_hash !== request.fingerprint) {
    throw AppError.of(
      'idempotency_key_reused',
      'This Idempotency-Key was used with a different request; use a new key for a new request',
      { type: 'idempotency_error' },
    );
  }
  return { status: row.response_status ?? 500, body: row.response_body ?? '', isReplay: true };
}

function keyInUse(): AppError {
  return AppError.of(
    'idempotency_key_in_use',
    'Another request with this Idempotency-Key is in progress; retry after it finishes',
    { type: 'idempotency_error' },
  );
}

/** The `transfer.completed` outbox row, written by the same statement as the transfer. */
function transferEvent(
  transfer: TransferRow,
  resource: ReturnType<typeof toTransferResource>,
): NewTransferEvent {
  return {
    id: newId('evt'),
    type: 'transfer.completed',
    mode: 'test',
    merchantId: null,
    projectId: null,
    userIds: [transfer.fromUserId, transfer.toUserId],
    objectId: transfer.id,
    paymentId: null,
    data: resource,
    createdAt: transfer.createdAt,
    traceparent: currentTraceparent(),
  };
}

/** The trace the event continues (as `recordEvent` stores it). */
function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}
