import { AppError, notFound, type Executor, type Scope } from '@expe/server-kit';
import type { CancelSetupIntentInput, UpdateSetupIntentInput } from '@expe/contracts';
import { findScopedCustomer, findScopedPaymentMethod } from '../db/customer-repository.js';
import {
  findScopedSetupIntent,
  type SetupIntentChanges,
  type SetupIntentRow,
} from '../db/setup-intent-repository.js';
import { changeSetupIntent, setupIntentUnexpectedState } from './confirm-setup-intent.js';
import { mergeMetadata } from '../../shared/domain/metadata.js';

const isFinal = (row: SetupIntentRow) => row.status === 'succeeded' || row.status === 'canceled';

/**
 * Changes a SetupIntent: description and metadata (Stripe's merge) in any status; customer and
 * payment_method only while it has not succeeded or been canceled (a new payment_method makes it
 * requires_confirmation).
 */
export async function updateSetupIntent(
  tx: Executor,
  scope: Scope,
  id: string,
  input: UpdateSetupIntentInput,
): Promise<SetupIntentRow> {
  const current = await findScopedSetupIntent(tx, scope, id, { lock: true });
  if (!current) throw notFound('setup_intent', id);
  const changes: SetupIntentChanges = {};
  if (input.customer !== undefined || input.payment_method !== undefined) {
    if (isFinal(current) || current.status === 'requires_action') {
      throw setupIntentUnexpectedState(current, 'update');
    }
  }
  if (input.customer !== undefined) {
    if (!(await findScopedCustomer(tx, scope, input.customer))) {
      throw AppError.of('resource_missing', `No such customer: '${input.customer}'`, {
        param: 'customer',
      });
    }
    changes.customerId = input.customer;
  }
  if (input.payment_method !== undefined) {
    if (!(await findScopedPaymentMethod(tx, scope, input.payment_method))) {
      throw AppError.of('resource_missing', `No such payment_method: '${input.payment_method}'`, {
        param: 'payment_method',
      });
    }
    changes.paymentMethodId = input.payment_method;
    changes.status = 'requires_confirmation';
  }
  if (input.description !== undefined) changes.description = input.description;
  const metadata = mergeMetadata(current.metadata, input.metadata);
  if (metadata) changes.metadata = metadata;
  return changeSetupIntent(tx, current, changes, null, new Date());
}

/** Cancels a SetupIntent that has not succeeded; `setup_intent.canceled`. */
export async function cancelSetupIntent(
  tx: Executor,
  scope: Scope,
  id: string,
  input: CancelSetupIntentInput,
): Promise<SetupIntentRow> {
  const current = await findScopedSetupIntent(tx, scope, id, { lock: true });
  if (!current) throw notFound('setup_intent', id);
  if (isFinal(current) || current.status === 'processing') {
    throw setupIntentUnexpectedState(current, 'cancel');
  }
  return changeSetupIntent(
    tx,
    current,
    { status: 'canceled', cancellationReason: input.cancellation_reason ?? null },
    'setup_intent.canceled',
    new Date(),
  );
}
