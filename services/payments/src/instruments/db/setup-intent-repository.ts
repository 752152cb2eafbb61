import { eq } from 'drizzle-orm';
import { listScopedPage, scopedRows } from '@expe/server-kit';
import type { Executor, Page, PageRequest, Scope } from '@expe/server-kit';
import { setupIntents } from '../../db/instrument-schema.js';

export type SetupIntentRow = typeof setupIntents.$inferSelect;
export type NewSetupIntentRow = typeof setupIntents.$inferInsert;
export type SetupIntentChanges = Partial<
  Pick<
    NewSetupIntentRow,
    | 'status'
    | 'customerId'
    | 'paymentMethodId'
    | 'description'
    | 'metadata'
    | 'lastSetupError'
    | 'cancellationReason'
    | 'returnUrl'
    | 'updatedAt'
  >
>;

/** A SetupIntent of the project and mode; with `lock`, its changes queue on it. */
export const { insert: insertSetupIntent, find: findScopedSetupIntent } = scopedRows(setupIntents);

/** Locked by id alone: the hosted challenge page names it by its client secret. */
// unscoped: by id; the caller checks the client secret before anything is shown or changed.
export async function lockSetupIntent(
  db: Executor,
  id: string,
): Promise<SetupIntentRow | undefined> {
  const [row] = await db.select().from(setupIntents).where(eq(setupIntents.id, id)).for('update');
  return row;
}

// unscoped: by id, of a SetupIntent locked after a scoped read or its client secret.
export async function updateSetupIntentRow(
  db: Executor,
  id: string,
  changes: SetupIntentChanges,
): Promise<SetupIntentRow> {
  const [row] = await db
    .update(setupIntents)
    .set(changes)
    .where(eq(setupIntents.id, id))
    .returning();
  if (!row) throw new Error(`setup intent ${id} vanished while locked`);
  return row;
}

export async function listScopedSetupIntents(
  db: Executor,
  scope: Scope & { customerId?: string | undefined; paymentMethodId?: string | undefined },
  page: PageRequest,
): Promise<Page<SetupIntentRow>> {
  const { customerId, paymentMethodId } = scope;
  const customer = customerId !== undefined ? eq(setupIntents.customerId, customerId) : undefined;
  const card =
    paymentMethodId !== undefined ? eq(setupIntents.paymentMethodId, paymentMethodId) : undefined;
  return listScopedPage(db, setupIntents, scope, page, customer, card);
}
