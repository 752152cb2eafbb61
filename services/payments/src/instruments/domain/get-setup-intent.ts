import { notFound, type Executor, type Page, type PageRequest, type Scope } from '@expe/server-kit';
import {
  findScopedSetupIntent,
  listScopedSetupIntents,
  type SetupIntentRow,
} from '../db/setup-intent-repository.js';

export async function getSetupIntent(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<SetupIntentRow> {
  const setupIntent = await findScopedSetupIntent(db, scope, id);
  if (!setupIntent) throw notFound('setup_intent', id);
  return setupIntent;
}

export function listSetupIntents(
  db: Executor,
  filter: Scope & { customerId?: string | undefined; paymentMethodId?: string | undefined },
  page: PageRequest,
): Promise<Page<SetupIntentRow>> {
  return listScopedSetupIntents(db, filter, page);
}
