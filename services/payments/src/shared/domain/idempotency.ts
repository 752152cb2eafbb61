import {
  runIdempotent as runIdempotentInStore,
  type Database,
  type EffectResult,
  type IdempotentRequest,
  type IdempotentResponse,
  type Transaction,
} from '@expe/server-kit';
import { paymentsIdempotencyStore } from '../db/idempotency-repository.js';

export { paymentsIdempotencyStore };

// The server kit holds the one implementation (first stored answer wins, refusals stored,
// claimed in the effect's transaction); payments keeps its answers in payments.idempotency_keys.
export {
  canonicalJson,
  maxIdempotencyKeyLength,
  requestFingerprint,
  type EffectResult,
  type IdempotentRequest,
  type IdempotentResponse,
} from '@expe/server-kit';

/** Runs a POST's effect at most once per Idempotency-Key: see the kit's `runIdempotent`. */
export function runIdempotent(
  db: Database,
  request: IdempotentRequest,
  effect: (tx: Transaction) => Promise<EffectResult>,
): Promise<IdempotentResponse> {
  return runIdempotentInStore(db, paymentsIdempotencyStore, request, effect);
}
