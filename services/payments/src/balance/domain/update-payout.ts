import { isDeepStrictEqual } from 'node:util';
import { notFound, type Executor, type Scope } from '@expe/server-kit';
import type { UpdatePayoutInput } from '@expe/contracts';
import {
  lockScopedPayout,
  updateScopedPayoutMetadata,
  type PayoutRow,
} from '../db/payout-repository.js';
import { mergeMetadata } from '../../shared/domain/metadata.js';
import { recordPayoutEvent } from './money-events.js';

/**
 * Merges metadata into the payout's by Stripe's rules, the only thing a settled payout lets
 * change. A change is a `payout.updated` event, as on Stripe; an update that changes nothing is
 * none.
 */
export async function updatePayout(
  tx: Executor,
  scope: Scope,
  id: string,
  input: UpdatePayoutInput,
  now: Date,
): Promise<PayoutRow> {
  const payout = await lockScopedPayout(tx, scope, id);
  if (!payout) throw notFound('payout', id);
  const metadata = mergeMetadata(payout.metadata, input.metadata);
  if (metadata === undefined || isDeepStrictEqual(metadata, payout.metadata)) return payout;
  const updated = await updateScopedPayoutMetadata(tx, scope, id, metadata);
  await recordPayoutEvent(tx, 'payout.updated', updated, now);
  return updated;
}
