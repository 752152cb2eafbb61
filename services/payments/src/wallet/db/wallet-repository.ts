import { and, eq, gt, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database, Executor } from '@expe/server-kit';
import { pageQuery, toPage, type Page, type PageRequest } from '@expe/server-kit';
import { queryPrepared } from '../../shared/db/prepared-query.js';
import { columnsJson } from '../../db/raw.js';
import {
  accounts,
  events,
  ledgerEntries,
  ledgerTransactions,
  payments,
  refunds,
  topups,
  transfers,
  type LedgerKind,
} from '../../db/schema.js';

export type TransferRow = typeof transfers.$inferSelect;
export type TopupRow = typeof topups.$inferSelect;
/** The outbox row of a transfer's event, as the events table takes it. */
export type NewTransferEvent = typeof events.$inferInsert;

/** What `create_wallet_transfer` and `store_idempotency_refusal` (migration 0014) answer. */
export interface IdempotencyOutcomeRow {
  /** 'created': this call stored its answer; 'stored': the key's earlier answer; 'in_use'. */
  outcome: 'created' | 'stored' | 'in_use';
  response_status: number | null;
  response_body: string | null;
  request_hash: string | null;
}

/** The Idempotency-Key a statement of migration 0014 runs under; key null = no key. */
export interface IdempotencyClaim {
  scope: string;
  key: string | null;
  requestHash: string;
  now: Date;
  expiresAt: Date;
}

const createWalletTransferStatement = {
  name: 'payments.create_wallet_transfer.v1',
  text: `select outcome, response_status, response_body, request_hash
           from payments.create_wallet_transfer($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
};

/**
 * The transfer row, its event, its ledger posting and the answer stored under its key, in one
 * statement and one implicit transaction (`payments.create_wallet_transfer`, migration 0014).
 * Throws the driver's error when the ledger refuses (EX402, EX400) or the key was answered
 * meanwhile (EX409): everything is rolled back then.
 */
// unscoped: a wallet transfer's event concerns no project (project and merchant are NULL).
export async function insertTransferWithEffects(
  db: Database,
  claim: IdempotencyClaim,
  transfer: TransferRow,
  event: NewTransferEvent,
  posting: { id: string; entriesJson: string },
  responseBody: string,
): Promise<IdempotencyOutcomeRow> {
  const [row] = await queryPrepared<IdempotencyOutcomeRow>(db, createWalletTransferStatement, [
    claim.scope,
    claim.key,
    claim.requestHash,
    claim.now.toISOString(),
    claim.expiresAt.toISOString(),
    columnsJson(transfers, transfer),
    columnsJson(events, event),
    posting.id,
    posting.entriesJson,
    responseBody,
  ]);
  if (!row) throw new Error('create_wallet_transfer returned nothing');
  return row;
}

const storeIdempotencyRefusalStatement = {
  name: 'payments.store_idempotency_refusal.v1',
  text: `select outcome, response_status, response_body, request_hash
           from payments.store_idempotency_refusal($1, $2, $3, $4, $5, $6, $7)`,
};

/**
 * Stores a refusal under its key, unless an answer was stored meanwhile (then that one comes
 * back as 'stored'); undefined when neither (the refusal is sent unstored).
 */
export async function storeIdempotencyRefusal(
  db: Database,
  claim: IdempotencyClaim & { key: string },
  status: number,
  body: string,
): Promise<IdempotencyOutcomeRow | undefined> {
  const [row] = await queryPrepared<IdempotencyOutcomeRow>(db, storeIdempotencyRefusalStatement, [
    claim.scope,
    claim.key,
    claim.requestHash,
    claim.now.toISOString(),
    claim.expiresAt.toISOString(),
    status,
    body,
  ]);
  return row;
}

export async function insertTopup(
  db: Executor,
  values: typeof topups.$inferInsert,
): Promise<TopupRow> {
  const [row] = await db.insert(topups).values(values).returning();
  if (!row) throw new Error('top-up insert returned nothing');
  return row;
}

export async function sumTopupsSince(db: Executor, userId: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ total: sql`coalesce(sum(${topups.amount}), 0)`.mapWith(Number) })
    .from(topups)
    .where(and(eq(topups.userId, userId), gte(topups.createdAt, since)));
  return row?.total ?? 0;
}

export type WalletTransactionType =
  'topup' | 'transfer_in' | 'transfer_out' | 'payment' | 'refund' | 'hold' | 'release';

/** One ledger entry of a wallet, with the business object it belongs to. */
export interface WalletEntryRow {
  entryId: string;
  amount: number;
  currency: string;
  kind: LedgerKind;
  reference: string;
  createdAt: Date;
  transfer: Pick<
    TransferRow,
    'fromUserId' | 'fromVpa' | 'fromName' | 'toUserId' | 'toVpa' | 'toName' | 'note'
  > | null;
  /** The payment paid from the wallet, or the payment a refund to the wallet belongs to. */
  payment: {
    id: string;
    merchantId: string;
    merchantName: string;
    description: string | null;
  } | null;
}

function typeCondition(type: WalletTransactionType | undefined): SQL | undefined {
  switch (type) {
    case undefined:
      return undefined;
    case 'transfer_in':
      return and(eq(ledgerTransactions.kind, 'transfer'), gt(ledgerEntries.amount, 0));
    case 'transfer_out':
      return and(eq(ledgerTransactions.kind, 'transfer'), lt(ledgerEntries.amount, 0));
    case 'hold':
      return eq(ledgerTransactions.kind, 'authorization');
    default:
      return eq(ledgerTransactions.kind, type);
  }
}

/** The wallet's entries, newest first, joined to their transfers, payments and refunds. */
// unscoped: a wallet owner's statement names the merchants they paid, whatever the project.
export async function listWalletEntries(
  db: Executor,
  accountId: string,
  filter: { type?: WalletTransactionType | undefined },
  page: PageRequest,
): Promise<Page<WalletEntryRow>> {
  const refundedPayment = alias(payments, 'refunded_payment');
  const { cursor, orderBy, fetch } = pageQuery(ledgerEntries.id, page);
  const rows = await db
    .select({
      entryId: ledgerEntries.id,
      amount: ledgerEntries.amount,
      currency: ledgerEntries.currency,
      kind: ledgerTransactions.kind,
      reference: ledgerTransactions.reference,
      createdAt: ledgerTransactions.createdAt,
      transferId: transfers.id,
      fromUserId: transfers.fromUserId,
      fromVpa: transfers.fromVpa,
      fromName: transfers.fromName,
      toUserId: transfers.toUserId,
      toVpa: transfers.toVpa,
      toName: transfers.toName,
      note: transfers.note,
      paymentId: sql<string | null>`coalesce(${payments.id}, ${refundedPayment.id})`,
      merchantId: sql<
        string | null
      >`coalesce(${payments.merchantId}, ${refundedPayment.merchantId})`,
      merchantName: sql<
        string | null
      >`coalesce(${payments.merchantName}, ${refundedPayment.merchantName})`,
      description: sql<
        string | null
      >`coalesce(${payments.description}, ${refundedPayment.description})`,
    })
    .from(ledgerEntries)
    .innerJoin(ledgerTransactions, eq(ledgerEntries.transactionId, ledgerTransactions.id))
    .leftJoin(
      transfers,
      and(eq(ledgerTransactions.kind, 'transfer'), eq(transfers.id, ledgerTransactions.reference)),
    )
    .leftJoin(
      payments,
      and(
        inArray(ledgerTransactions.kind, ['payment', 'authorization', 'release']),
        eq(payments.id, ledgerTransactions.reference),
      ),
    )
    .leftJoin(
      refunds,
      and(eq(ledgerTransactions.kind, 'refund'), eq(refunds.id, ledgerTransactions.reference)),
    )
    .leftJoin(refundedPayment, eq(refundedPayment.id, refunds.paymentId))
    .where(and(eq(ledgerEntries.accountId, accountId), typeCondition(filter.type), cursor))
    .orderBy(orderBy)
    .limit(fetch);
  return toPage(
    rows.map((row) => ({
      entryId: row.entryId,
      amount: row.amount,
      currency: row.currency,
      kind: row.kind,
      reference: row.reference,
      createdAt: row.createdAt,
      transfer:
        row.transferId === null
          ? null
          : {
              fromUserId: row.fromUserId ?? '',
              fromVpa: row.fromVpa ?? '',
              fromName: row.fromName ?? '',
              toUserId: row.toUserId ?? '',
              toVpa: row.toVpa ?? '',
              toName: row.toName ?? '',
              note: row.note,
            },
      payment:
        row.paymentId === null
          ? null
          : {
              id: row.paymentId,
              merchantId: row.merchantId ?? '',
              merchantName: row.merchantName ?? '',
              description: row.description,
            },
    })),
    page,
  );
}

/**
 * What the user's wallet has on hold: the hold accounts of the manual-capture payments it paid
 * that are still waiting for their capture.
 */
// unscoped: a payer's holds, whatever the project of the payments they authorized.
export async function sumHeldByWallet(db: Executor, userId: string): Promise<number> {
  const [row] = await db
    .select({ total: sql`coalesce(sum(${accounts.balance}), 0)`.mapWith(Number) })
    .from(accounts)
    .innerJoin(payments, and(eq(accounts.type, 'hold'), eq(accounts.ownerId, payments.id)))
    .where(and(eq(payments.payerUserId, userId), eq(payments.status, 'requires_capture')));
  return row?.total ?? 0;
}
