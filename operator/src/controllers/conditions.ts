import type { MerchantStatusCondition } from '../api/v1alpha1/index.js';

/** A metav1.Condition as the CRDs declare it (every Expe resource's is the same). */
export type Condition = MerchantStatusCondition;

export type ConditionInput = Omit<Condition, 'observedGeneration' | 'lastTransitionTime'>;

/**
 * Sets one condition, metav1.Condition style: lastTransitionTime moves only when the status
 * changes, so an unchanged reconcile writes an identical status (and triggers no new event).
 */
export function setCondition(
  conditions: readonly Condition[],
  input: ConditionInput,
  generation: number | undefined,
  now: Date,
): Condition[] {
  const previous = conditions.find((condition) => condition.type === input.type);
  const next: Condition = {
    ...input,
    message: input.message.slice(0, 32_768),
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    lastTransitionTime:
      previous && previous.status === input.status
        ? previous.lastTransitionTime
        : now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  return [...conditions.filter((condition) => condition.type !== input.type), next].sort((a, b) =>
    a.type.localeCompare(b.type),
  );
}

export type Outcome =
  | { kind: 'ready'; message: string }
  | { kind: 'degraded'; reason: string; message: string }
  | { kind: 'progressing'; reason: string; message: string }
  /** Done for good, and not a fault: an ended Sandbox (Ready and Progressing False, healthy). */
  | { kind: 'ended'; reason: string; message: string };

/** The three conditions every Expe resource carries, from the outcome of one reconcile. */
export function conditionsFor(
  existing: readonly Condition[],
  outcome: Outcome,
  generation: number | undefined,
  now: Date,
): Condition[] {
  const ready: ConditionInput =
    outcome.kind === 'ready'
      ? { type: 'Ready', status: 'True', reason: 'Reconciled', message: outcome.message }
      : { type: 'Ready', status: 'False', reason: outcome.reason, message: outcome.message };
  const progressing: ConditionInput =
    outcome.kind === 'progressing'
      ? { type: 'Progressing', status: 'True', reason: outcome.reason, message: outcome.message }
      : {
          type: 'Progressing',
          status: 'False',
          reason: outcome.kind === 'ready' ? 'Reconciled' : outcome.reason,
          message: outcome.kind === 'ready' ? 'Nothing left to do' : outcome.message,
        };
  const degraded: ConditionInput =
    outcome.kind === 'degraded'
      ? { type: 'Degraded', status: 'True', reason: outcome.reason, message: outcome.message }
      : { type: 'Degraded', status: 'False', reason: 'Healthy', message: 'No problems seen' };
  return [ready, progressing, degraded].reduce<Condition[]>(
    (all, condition) => setCondition(all, condition, generation, now),
    [...existing],
  );
}

export function isReady(conditions: readonly Condition[] | undefined): boolean {
  return conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** The status fields every Expe resource's status has. */
interface ReconciledStatus {
  conditions?: Condition[];
  observedGeneration?: number;
}

/**
 * A resource's status after one reconcile: `fields` over what it says now, the three conditions
 * for `outcome`, observed at the resource's generation.
 */
export function nextStatus<S extends ReconciledStatus>(
  resource: { metadata?: { generation?: number }; status?: S },
  outcome: Outcome,
  fields: Partial<S>,
  now: Date,
): S {
  const generation = resource.metadata?.generation;
  const status = {
    ...resource.status,
    ...fields,
    conditions: conditionsFor(resource.status?.conditions ?? [], outcome, generation, now),
  } as S;
  if (generation !== undefined) status.observedGeneration = generation;
  return status;
}
