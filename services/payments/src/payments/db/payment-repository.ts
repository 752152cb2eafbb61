import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor, Scope } from '@expe/server-kit';
import {
  createdRangeConditions,
  pageQuery,
  toPage,
  type CreatedRange,
  type Page,
  type PageRequest,
} from '@expe/server-kit';
import { payments, type Mode, type PaymentStatusValue } from '../../db/schema.js';
import type { CardDetails } from '../../db/instrument-schema.js';

export type PaymentRow = typeof payments.$inferSelect;
export type NewPaymentRow = typeof payments.$inferInsert;
export type PaymentChanges = Partial<
  Omit<NewPaymentRow, 'id' | 'merchantId' | 'projectId' | 'mode'>
>;

/** A key (secret or publishable) sees only its own project's payments in its own mode. */
const inScope = (scope: Scope) =>
  and(eq(payments.projectId, scope.projectId), eq(payments.mode, scope.mode));

// unscoped: the checkout (client_secret), internal routes and due work look a payment up by id.
export async function findPayment(db: Executor, id: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(eq(payments.id, id));
  return row;
}

export async function findScopedPayment(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<PaymentRow | undefined> {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.id, id), inScope(scope)));
  return row;
}

/** Locks the payment row; every change to a payment happens under this lock. */
// unscoped: by id under a lock, right after a scoped read (or the checkout's client_secret check).
export async function lockPayment(db: Executor, id: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(eq(payments.id, id)).for('update');
  return row;
}

/**
 * Locks the payment as {@link lockPayment} does and keeps the card a confirm pays with (brand,
 * last four, expiry, sandbox token; never the number) in the same statement: an UPDATE takes the
 * row lock a SELECT … FOR UPDATE would. `undefined` for an unknown id.
 */
// unscoped: by id; the caller checks the payment's scope and client secret before using it.
export async function lockPaymentKeepingCard(
  db: Executor,
  id: string,
  cardDetails: CardDetails,
): Promise<PaymentRow | undefined> {
  const [row] = await db
    .update(payments)
    .set({ cardDetails })
    .where(eq(payments.id, id))
    .returning();
  return row;
}

// unscoped: by id, of a payment locked after a scoped read.
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

export interface PaymentFilter {
  status?: PaymentStatusValue | undefined;
  customerId?: string | undefined;
  created?: CreatedRange | undefined;
}

export async function listPayments(
  db: Executor,
  scope: Scope,
  filter: PaymentFilter,
  page: PageRequest,
): Promise<Page<PaymentRow>> {
  const { cursor, orderBy, fetch } = pageQuery(payments.id, page);
  const rows = await db
    .select()
    .from(payments)
    .where(
      and(
        inScope(scope),
        filter.status ? eq(payments.status, filter.status) : undefined,
        filter.customerId ? eq(payments.customerId, filter.customerId) : undefined,
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
 * Claims one payment whose `kind` of work has come due by its project's clock (`due` builds
 * that condition, see domain/clock.ts), locked, skipping rows another replica is already working
 * on, so schedulers on several replicas never do the same work twice.
 */
// unscoped: the scheduler's sweep over every project (each by its own clock).
export async function claimDuePayment(
  db: Executor,
  kind: DuePaymentKind,
  due: (column: AnyPgColumn, projectId: AnyPgColumn, mode: AnyPgColumn) => SQL,
): Promise<PaymentRow | undefined> {
  const { statuses, column } = dueColumns[kind];
  const [row] = await db
    .select()
    .from(payments)
    .where(
      and(inArray(payments.status, [...statuses]), due(column, payments.projectId, payments.mode)),
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

const statsColumns = {
  status: payments.status,
  currency: payments.currency,
  count: sql<number>`count(*)::int`,
  withFailedAttempt: sql<number>`(count(*) filter (where ${payments.failedAttempts} > 0))::int`,
  failedAttempts: sql<number>`coalesce(sum(${payments.failedAttempts}), 0)::int`,
  amount: sql`coalesce(sum(${payments.amount}), 0)`.mapWith(Number),
  amountRefunded: sql`coalesce(sum(${payments.amountRefunded}), 0)`.mapWith(Number),
};

/** One project's payments in one mode, summed per status and currency. */
export async function summarizePayments(db: Executor, scope: Scope): Promise<PaymentStatsRow[]> {
  return db
    .select(statsColumns)
    .from(payments)
    .where(inScope(scope))
    .groupBy(payments.status, payments.currency);
}

/**
 * The same over every project of a merchant: the owner's totals in the console (the merchant
 * owns its projects; a key or a session with `Expe-Project` gets its project's).
 */
// unscoped: the merchant owner's totals across its projects (a session without a project).
export async function summarizeMerchantPayments(
  db: Executor,
  merchantId: string,
  mode: Mode,
): Promise<PaymentStatsRow[]> {
  return db
    .select(statsColumns)
    .from(payments)
    .where(and(eq(payments.merchantId, merchantId), eq(payments.mode, mode)))
    .groupBy(payments.status, payments.currency);
}
