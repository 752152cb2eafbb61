import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '@expe/server-kit';
import {
  createdRangeConditions,
  pageQuery,
  toPage,
  type CreatedRange,
  type Page,
  type PageRequest,
} from '@expe/server-kit';
import { payments, type Mode, type PaymentStatusValue } from './schema.js';

export type PaymentRow = typeof payments.$inferSelect;
export type NewPaymentRow = typeof payments.$inferInsert;
export type PaymentChanges = Partial<Omit<NewPaymentRow, 'id' | 'merchantId' | 'mode'>>;

/** A key (secret or publishable) sees only its own merchant's payments in its own mode. */
export interface MerchantScope {
  merchantId: string;
  mode: Mode;
}

const inScope = (scope: MerchantScope) =>
  and(eq(payments.merchantId, scope.merchantId), eq(payments.mode, scope.mode));

export async function insertPayment(db: Executor, values: NewPaymentRow): Promise<PaymentRow> {
  const [row] = await db.insert(payments).values(values).returning();
  if (!row) throw new Error('payment insert returned nothing');
  return row;
}

export async function findPayment(db: Executor, id: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(eq(payments.id, id));
  return row;
}

export async function findScopedPayment(
  db: Executor,
  scope: MerchantScope,
  id: string,
): Promise<PaymentRow | undefined> {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.id, id), inScope(scope)));
  return row;
}

/** Locks the payment row; every change to a payment happens under this lock. */
export async function lockPayment(db: Executor, id: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(eq(payments.id, id)).for('update');
  return row;
}

export async function updatePayment(
  db: Executor,
  id: string,
  changes: PaymentChanges,
): Promise<PaymentRow> {
  const [row] = await db
    .update(payments)
    .set({ ...changes, updatedAt: changes.updatedAt ?? new Date() })
    .where(eq(payments.id, id))
    .returning();
  if (!row) throw new Error(`payment ${id} vanished while locked`);
  return row;
}

export interface PaymentFilter extends MerchantScope {
  status?: PaymentStatusValue | undefined;
  created?: CreatedRange | undefined;
}

export async function listPayments(
  db: Executor,
  filter: PaymentFilter,
  page: PageRequest,
): Promise<Page<PaymentRow>> {
  const { cursor, orderBy, fetch } = pageQuery(payments.id, page);
  const rows = await db
    .select()
    .from(payments)
    .where(
      and(
        inScope(filter),
        filter.status ? eq(payments.status, filter.status) : undefined,
        ...createdRangeConditions(payments.createdAt, filter.created),
        cursor,
      ),
    )
    .orderBy(orderBy)
    .limit(fetch);
  return toPage(rows, page);
}

/** The kinds of due work on payments and the time each is due at. */
export type DuePaymentKind = 'pending_upi' | 'unpaid_expiry' | 'authorization_expiry';

const dueColumns = {
  pending_upi: { statuses: ['processing'], column: payments.processingDueAt },
  unpaid_expiry: {
    statuses: ['requires_payment_method', 'requires_action'],
    column: payments.expiresAt,
  },
  authorization_expiry: { statuses: ['requires_capture'], column: payments.authorizationExpiresAt },
} as const;

/**
 * Claims one payment whose `kind` of work has come due by its merchant's clock (`due` builds
 * that condition, see domain/clock.ts), locked, skipping rows another replica is already working
 * on, so schedulers on several replicas never do the same work twice.
 */
export async function claimDuePayment(
  db: Executor,
  kind: DuePaymentKind,
  due: (column: AnyPgColumn, merchantId: AnyPgColumn, mode: AnyPgColumn) => SQL,
): Promise<PaymentRow | undefined> {
  const { statuses, column } = dueColumns[kind];
  const [row] = await db
    .select()
    .from(payments)
    .where(
      and(inArray(payments.status, [...statuses]), due(column, payments.merchantId, payments.mode)),
    )
    .orderBy(asc(column))
    .limit(1)
    .for('update', { skipLocked: true });
  return row;
}

export interface PaymentStatsRow {
  status: PaymentStatusValue;
  currency: string;
  count: number;
  withFailedAttempt: number;
  /** Failed attempts (declines) summed over the payments. */
  failedAttempts: number;
  amount: number;
  amountRefunded: number;
}

export async function summarizePayments(
  db: Executor,
  scope: MerchantScope,
): Promise<PaymentStatsRow[]> {
  return db
    .select({
      status: payments.status,
      currency: payments.currency,
      count: sql<number>`count(*)::int`,
      withFailedAttempt: sql<number>`(count(*) filter (where ${payments.failedAttempts} > 0))::int`,
      failedAttempts: sql<number>`coalesce(sum(${payments.failedAttempts}), 0)::int`,
      amount: sql`coalesce(sum(${payments.amount}), 0)`.mapWith(Number),
      amountRefunded: sql`coalesce(sum(${payments.amountRefunded}), 0)`.mapWith(Number),
    })
    .from(payments)
    .where(inScope(scope))
    .groupBy(payments.status, payments.currency);
}
