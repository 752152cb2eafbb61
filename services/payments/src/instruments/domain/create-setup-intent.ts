import { AppError, newId, type Executor, type Scope } from '@expe/server-kit';
import type { CreateSetupIntentInput } from '@expe/contracts';
import { findScopedCustomer, findScopedPaymentMethod } from '../db/customer-repository.js';
import { insertSetupIntent } from '../db/setup-intent-repository.js';
import { confirmLockedSetupIntent, type SetupAttemptResult } from './confirm-setup-intent.js';
import { recordInstrumentEvent } from '../../events/domain/events.js';
import { toSetupIntentEventData } from './setup-intent-resources.js';

/**
 * A new SetupIntent and its `setup_intent.created` event: requires_payment_method, or
 * requires_confirmation when it names its PaymentMethod; `confirm: true` confirms it at once
 * (in the same transaction, so a refused confirm leaves no SetupIntent).
 */
export async function createSetupIntent(
  tx: Executor,
  scope: Scope,
  input: CreateSetupIntentInput,
): Promise<SetupAttemptResult> {
  if (input.confirm && !input.payment_method) {
    throw AppError.of(
      'parameter_missing',
      'Missing payment_method: confirm: true sets up a payment_method at once',
      { param: 'payment_method' },
    );
  }
  if (input.customer && !(await findScopedCustomer(tx, scope, input.customer))) {
    throw AppError.of('resource_missing', `No such customer: '${input.customer}'`, {
      param: 'customer',
    });
  }
  if (input.payment_method && !(await findScopedPaymentMethod(tx, scope, input.payment_method))) {
    throw AppError.of('resource_missing', `No such payment_method: '${input.payment_method}'`, {
      param: 'payment_method',
    });
  }
  const now = new Date();
  const created = await insertSetupIntent(tx, scope, {
    id: newId('seti'),
    status: input.payment_method ? 'requires_confirmation' : 'requires_payment_method',
    usage: input.usage,
    customerId: input.customer ?? null,
    paymentMethodId: input.payment_method ?? null,
    description: input.description ?? null,
    metadata: input.metadata ?? {},
    returnUrl: input.return_url ?? null,
    createdAt: now,
    updatedAt: now,
  });
  await recordInstrumentEvent(
    tx,
    'setup_intent.created',
    created,
    toSetupIntentEventData(created),
    now,
  );
  if (!input.confirm) return { kind: 'confirmed', setupIntent: created };
  return confirmLockedSetupIntent(tx, created, undefined);
}
