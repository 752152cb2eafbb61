import { AppError, notFound, type Executor, type Scope } from '@expe/server-kit';
import {
  findScopedPaymentMethod,
  lockScopedCustomer,
  type PaymentMethodRow,
} from '../db/customer-repository.js';
import type { SetupError } from '../../db/instrument-schema.js';
import {
  findScopedSetupIntent,
  lockSetupIntent,
  updateSetupIntentRow,
  type SetupIntentChanges,
  type SetupIntentRow,
} from '../db/setup-intent-repository.js';
import { attachToCustomer } from './attach-payment-method.js';
import { recordInstrumentEvent } from '../../events/domain/events.js';
import type { PaymentLinks } from '../../payments/domain/resources.js';
import { liveModeOutcome } from '../../payments/domain/sandbox-outcomes.js';
import { setupOutcome } from './saved-cards.js';
import { attemptDeclined } from '../../payments/domain/payment-errors.js';
import { toSetupIntentResource } from './setup-intent-resources.js';
import { scopeOf } from '../../shared/domain/scope-of.js';
import { toSetupIntentEventData } from './setup-intent-resources.js';

export type SetupAttemptResult =
  | { kind: 'confirmed'; setupIntent: SetupIntentRow }
  /** The card was declined; the failure is committed and the SetupIntent can be confirmed again. */
  | { kind: 'failed'; setupIntent: SetupIntentRow; error: SetupError };

const confirmable: SetupIntentRow['status'][] = [
  'requires_payment_method',
  'requires_confirmation',
];

/** The cardholder failed (or abandoned) the 3-D Secure challenge of a setup. */
const setupAuthenticationFailed: SetupError = {
  type: 'card_error',
  code: 'setup_intent_authentication_failure',
  message:
    'The latest attempt to set up the payment method has failed because authentication failed.',
};

export function setupIntentUnexpectedState(row: SetupIntentRow, action: string): AppError {
  return AppError.of(
    'setup_intent_unexpected_state',
    `You cannot ${action} this SetupIntent because it has a status of ${row.status}`,
  );
}

/**
 * Confirms a SetupIntent with its PaymentMethod (or the one named now), under the SetupIntent's
 * lock: the sandbox checks the card. A declining card fails the setup (`last_setup_error`, back to
 * requires_payment_method), a 3-D Secure card waits for the hosted challenge (requires_action),
 * any other succeeds and is attached to the customer, all in one transaction with its event.
 */
export async function confirmSetupIntent(
  tx: Executor,
  scope: Scope,
  id: string,
  input: { paymentMethod?: string | undefined; returnUrl?: string | undefined },
): Promise<SetupAttemptResult> {
  const found = await findScopedSetupIntent(tx, scope, id, { lock: true });
  if (!found) throw notFound('setup_intent', id);
  if (!confirmable.includes(found.status)) throw setupIntentUnexpectedState(found, 'confirm');
  // A return_url given at confirm replaces the one given at creation, as on Stripe.
  const setupIntent =
    input.returnUrl !== undefined && input.returnUrl !== found.returnUrl
      ? await updateSetupIntentRow(tx, found.id, { returnUrl: input.returnUrl })
      : found;
  return confirmLockedSetupIntent(tx, setupIntent, input.paymentMethod);
}

export async function confirmLockedSetupIntent(
  tx: Executor,
  setupIntent: SetupIntentRow,
  paymentMethodId: string | undefined,
): Promise<SetupAttemptResult> {
  if (!confirmable.includes(setupIntent.status)) {
    throw setupIntentUnexpectedState(setupIntent, 'confirm');
  }
  const scope = scopeOf(setupIntent);
  const methodId = paymentMethodId ?? setupIntent.paymentMethodId;
  if (!methodId) {
    throw AppError.of(
      'parameter_missing',
      'Missing payment_method: a SetupIntent is confirmed with the PaymentMethod to save',
      { param: 'payment_method' },
    );
  }
  const method = await usablePaymentMethod(tx, scope, methodId, setupIntent.customerId);
  const now = new Date();
  const outcome = scope.mode === 'live' ? liveModeOutcome('card') : setupOutcome(method.cardToken);
  if (outcome.kind === 'fails') {
    const error: SetupError = {
      type: 'card_error',
      code: outcome.error.code,
      message: outcome.error.message,
      ...(outcome.error.decline_code ? { decline_code: outcome.error.decline_code } : {}),
    };
    return failSetup(tx, setupIntent, error, now);
  }
  if (outcome.kind === 'requires_action') {
    const challenged = await changeSetupIntent(
      tx,
      setupIntent,
      { status: 'requires_action', paymentMethodId: method.id, lastSetupError: null },
      'setup_intent.requires_action',
      now,
    );
    return { kind: 'confirmed', setupIntent: challenged };
  }
  return { kind: 'confirmed', setupIntent: await succeedSetup(tx, setupIntent, method, now) };
}

/**
 * The cardholder's answer to the setup's 3-D Secure challenge (the hosted page, authorized by
 * the client secret; an API key must be of the SetupIntent's project and mode). complete: the
 * setup succeeds and the card is attached; fail: back to requires_payment_method.
 */
export async function authenticateSetupIntent(
  tx: Executor,
  links: PaymentLinks,
  command: {
    id: string;
    clientSecret: string;
    outcome: 'complete' | 'fail';
    keyScope?: Scope | undefined;
  },
): Promise<SetupIntentRow> {
  const setupIntent = await lockSetupIntent(tx, command.id);
  const isOwnKey =
    !command.keyScope ||
    (setupIntent?.projectId === command.keyScope.projectId &&
      setupIntent.mode === command.keyScope.mode);
  if (!setupIntent || !isOwnKey || !links.isClientSecretOf(command.id, command.clientSecret)) {
    throw notFound('setup_intent', command.id);
  }
  if (setupIntent.status !== 'requires_action') {
    throw setupIntentUnexpectedState(setupIntent, 'authenticate');
  }
  const now = new Date();
  if (command.outcome === 'fail') {
    return (await failSetup(tx, setupIntent, setupAuthenticationFailed, now)).setupIntent;
  }
  const method = await usablePaymentMethod(
    tx,
    scopeOf(setupIntent),
    setupIntent.paymentMethodId!,
    setupIntent.customerId,
  );
  return succeedSetup(tx, setupIntent, method, now);
}

/** The PaymentMethod, locked; one attached elsewhere or detached cannot be set up. */
async function usablePaymentMethod(
  tx: Executor,
  scope: Scope,
  id: string,
  customerId: string | null,
): Promise<PaymentMethodRow> {
  const method = await findScopedPaymentMethod(tx, scope, id, { lock: true });
  if (!method) {
    throw AppError.of('resource_missing', `No such payment_method: '${id}'`, {
      param: 'payment_method',
    });
  }
  if (method.detachedAt || (method.customerId && method.customerId !== customerId)) {
    throw AppError.of(
      'payment_method_customer_mismatch',
      method.detachedAt
        ? `The payment_method ${id} was detached from a customer and may not be used again`
        : `The payment_method ${id} belongs to another customer`,
      { param: 'payment_method' },
    );
  }
  return method;
}

async function succeedSetup(
  tx: Executor,
  setupIntent: SetupIntentRow,
  method: PaymentMethodRow,
  now: Date,
): Promise<SetupIntentRow> {
  if (setupIntent.customerId) {
    const customer = await lockScopedCustomer(tx, scopeOf(setupIntent), setupIntent.customerId);
    if (!customer) {
      throw AppError.of('resource_missing', `No such customer: '${setupIntent.customerId}'`, {
        param: 'customer',
      });
    }
    await attachToCustomer(tx, method, customer.id, now);
  }
  return changeSetupIntent(
    tx,
    setupIntent,
    { status: 'succeeded', paymentMethodId: method.id, lastSetupError: null },
    'setup_intent.succeeded',
    now,
  );
}

async function failSetup(
  tx: Executor,
  setupIntent: SetupIntentRow,
  error: SetupError,
  now: Date,
): Promise<SetupAttemptResult> {
  const failed = await changeSetupIntent(
    tx,
    setupIntent,
    { status: 'requires_payment_method', paymentMethodId: null, lastSetupError: error },
    'setup_intent.setup_failed',
    now,
  );
  return { kind: 'failed', setupIntent: failed, error };
}

/** Changes a locked SetupIntent and records the event that says so, in one transaction. */
export async function changeSetupIntent(
  tx: Executor,
  setupIntent: SetupIntentRow,
  changes: SetupIntentChanges,
  type:
    | `setup_intent.${'created' | 'requires_action' | 'succeeded' | 'setup_failed' | 'canceled'}`
    | null,
  now: Date,
): Promise<SetupIntentRow> {
  const changed = await updateSetupIntentRow(tx, setupIntent.id, { ...changes, updatedAt: now });
  if (type) await recordInstrumentEvent(tx, type, changed, toSetupIntentEventData(changed), now);
  return changed;
}

/** A declined setup (402): like Stripe's, the error carries the SetupIntent; the failure stands. */
export function setupIntentDeclined(
  row: SetupIntentRow,
  error: SetupError,
  links: PaymentLinks,
): AppError {
  return attemptDeclined(error, { fields: { setup_intent: toSetupIntentResource(row, links) } });
}
