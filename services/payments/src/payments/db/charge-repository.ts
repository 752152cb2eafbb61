import { and, eq } from 'drizzle-orm';
import type { Executor, Scope } from '@expe/server-kit';
import { pageQuery, toPage, type Page, type PageRequest } from '@expe/server-kit';
import { charges } from '../../db/charge-schema.js';
import { scopeColumns, type Unscoped } from '../../db/scope-columns.js';

export type ChargeRow = typeof charges.$inferSelect;
export type NewChargeRow = typeof charges.$inferInsert;
export type ChargeChanges = Partial<
  Omit<NewChargeRow, 'id' | 'paymentId' | 'merchantId' | 'projectId' | 'mode'>
>;

const inScope = (scope: Scope) =>
  and(eq(charges.projectId, scope.projectId), eq(charges.mode, scope.mode));

export async function insertCharge(
  db: Executor,
  scope: Scope,
  values: Unscoped<NewChargeRow>,
): Promise<ChargeRow> {
  const [row] = await db
    .insert(charges)
    .values({ ...values, ...scopeColumns(scope) })
    .returning();
  if (!row) throw new Error('charge insert returned nothing');
  return row;
}

export async function findScopedCharge(
  db: Executor,
  scope: Scope,
  id: string,
  options: { lock?: boolean } = {},
): Promise<ChargeRow | undefined> {
  const query = db
    .select()
    .from(charges)
    .where(and(eq(charges.id, id), inScope(scope)));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

export async function updateScopedCharge(
  db: Executor,
  scope: Scope,
  id: string,
  changes: ChargeChanges,
): Promise<ChargeRow> {
  const [row] = await db
    .update(charges)
    .set({ ...changes, updatedAt: changes.updatedAt ?? new Date() })
    .where(and(eq(charges.id, id), inScope(scope)))
    .returning();
  if (!row) throw new Error(`charge ${id} vanished while its payment was locked`);
  return row;
}

export async function listCharges(
  db: Executor,
  scope: Scope & { paymentId?: string | undefined; customerId?: string | undefined },
  page: PageRequest,
): Promise<Page<ChargeRow>> {
  const { cursor, orderBy, fetch } = pageQuery(charges.id, page);
  const rows = await db
    .select()
    .from(charges)
    .where(
      and(
        inScope(scope),
        scope.paymentId ? eq(charges.paymentId, scope.paymentId) : undefined,
        scope.customerId ? eq(charges.customerId, scope.customerId) : undefined,
        cursor,
      ),
    )
    .orderBy(orderBy)
    .limit(fetch);
  return toPage(rows, page);
}

// unscoped: the hosted receipt reads a charge by id; its token, checked by the caller, is the scope.
export async function findCharge(db: Executor, id: string): Promise<ChargeRow | undefined> {
  const [row] = await db.select().from(charges).where(eq(charges.id, id));
  return row;
}
