import { createExpeClient, ExpeApiError } from '@expe/sdk';
import { ScenarioError, type ExpectationFailure } from './errors.js';
import { fieldAt, resolveReferences } from './references.js';
import { missedState, runners, type StepCalls, type StepResult } from './run-step.js';
import { kindOf, type Scenario, type ScenarioStep, type StepKind } from './scenario-schema.js';

export interface ApplyScenarioOptions {
  /** The gateway, e.g. `http://127.0.0.1:4000`. */
  baseUrl: string;
  /** A test secret key (`sk_test_…`) of the sandbox to apply to. */
  secretKey: string;
  /** Replaces the global `fetch` (proxies, tests). */
  fetch?: typeof fetch;
  /** Called after each step, e.g. to print progress. */
  onStep?: (step: AppliedStep) => void;
}

export interface AppliedStep {
  id: string;
  kind: StepKind;
  /** The API's `object` of what the step made or changed (`payment`, `test_clock`, …). */
  object: string;
  /** Its id; null for the test clock. */
  objectId: string | null;
  /**
   * `created`: the step wrote to the sandbox now. `reused`: every request of the step had run
   * before (same scenario, step and project) and the API answered it again, writing nothing.
   * `checked`: a `check` step, which only reads.
   */
  outcome: 'created' | 'reused' | 'checked';
  /** The object, as its requests answered: what references and `expect` read. */
  value: Record<string, unknown>;
}

export interface ApplyScenarioResult {
  scenario: string;
  projectId: string;
  steps: AppliedStep[];
  /** The scenario's `outputs`, resolved. */
  outputs: Record<string, unknown>;
}

/**
 * The Idempotency-Key of one request of a step: the same on every apply of the scenario to the
 * project, so a second apply (within the API's retention, 24 h) is answered from the first
 * without writing anything. The API scopes keys per project and mode already; the project is in
 * the key too so that a key read in a request log says where it was used.
 */
export function scenarioIdempotencyKey(
  projectId: string,
  scenario: string,
  step: string,
  call: string,
): string {
  return `expe-scenario:${projectId}:${scenario}:${step}:${call}`;
}

/** Counts the writes and the replays of POSTs (Idempotent-Replayed: true) as they are answered. */
function countingFetch(base: typeof fetch, tally: { written: number; replayed: number }) {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const response = await base(input, init);
    // 409 (the same key still running) and 429 are retried by the SDK: neither is an answer.
    const answered = response.status < 500 && response.status !== 409 && response.status !== 429;
    if (init?.method === 'POST' && answered) {
      if (response.headers.get('idempotent-replayed') === 'true') tally.replayed++;
      else tally.written++;
    }
    return response;
  };
}

function stepFailed(step: ScenarioStep, kind: StepKind, error: unknown): ScenarioError {
  if (error instanceof ScenarioError) return error;
  if (error instanceof ExpeApiError && error.code === 'idempotency_key_reused') {
    return new ScenarioError(
      'scenario_changed',
      `step "${step.id}" (${kind}) was applied to this project in the last 24 hours with other ` +
        'parameters: the scenario changed since. Apply the changed scenario to a new sandbox, or ' +
        'give it another name.',
      { step: step.id, cause: error },
    );
  }
  if (error instanceof ExpeApiError) {
    const detail = [error.code, error.param && `param ${error.param}`, error.requestId]
      .filter(Boolean)
      .join(', ');
    return new ScenarioError(
      'step_failed',
      `step "${step.id}" (${kind}) failed: ${error.message} (${detail})`,
      { step: step.id, cause: error },
    );
  }
  return new ScenarioError(
    'step_failed',
    `step "${step.id}" (${kind}) failed: ${(error as Error).message}`,
    { step: step.id, cause: error },
  );
}

/**
 * The step's `state` and `expect` against what its requests answered. When every request was
 * answered again from an earlier apply, what the step read as it is now (a dispute a later step
 * may have answered since) is not checked again: it was checked when the step ran.
 */
function checkStep(
  step: ScenarioStep,
  kind: StepKind,
  made: StepResult,
  expected: Record<string, unknown>,
  reused: boolean,
): void {
  const failures: ExpectationFailure[] = [];
  const state = kind === 'payment' ? (step.payment?.state ?? 'succeeded') : undefined;
  const missed = state && missedState(state, made.value);
  if (state && missed) failures.push({ field: 'state', expected: state, actual: missed });
  const isRead = (field: string) =>
    reused && (made.reads ?? []).some((read) => field === read || field.startsWith(`${read}.`));
  for (const [field, value] of Object.entries(expected)) {
    if (isRead(field)) continue;
    const actual = fieldAt(made.value, field);
    if (actual !== value) failures.push({ field, expected: value, actual: actual ?? null });
  }
  if (failures.length === 0) return;
  const lines = failures.map((failure) =>
    failure.field === 'state'
      ? `state ${String(failure.expected)}: ${String(failure.actual)}`
      : `${failure.field}: expected ${JSON.stringify(failure.expected)}, got ${JSON.stringify(failure.actual)}`,
  );
  throw new ScenarioError(
    'expectation_failed',
    `step "${step.id}" (${kind}): ${lines.join('; ')}`,
    { step: step.id, failures },
  );
}

/**
 * Runs a scenario's steps in order against a sandbox through Expe's API, each request under an
 * Idempotency-Key derived from the project, the scenario's name and the step: applying it again
 * to the same sandbox answers every request from the first apply and creates nothing. Stops at
 * the first step that fails (`ScenarioError` naming it); the steps before it stay made, and
 * applying again resumes there.
 */
export async function applyScenario(
  scenario: Scenario,
  options: ApplyScenarioOptions,
): Promise<ApplyScenarioResult> {
  const tally = { written: 0, replayed: 0 };
  const client = createExpeClient({
    apiKey: options.secretKey,
    baseUrl: options.baseUrl,
    fetch: countingFetch(options.fetch ?? fetch, tally),
  });
  const account = await client.account.retrieve();
  if (account.mode !== 'test') {
    throw new ScenarioError(
      'live_mode',
      'Scenarios make test data with sandbox cards and test helpers: use a test key (sk_test_…), not a live one.',
    );
  }
  const outputs = new Map<string, Record<string, unknown>>();
  const steps: AppliedStep[] = [];
  for (const step of scenario.steps) {
    const kind = kindOf(step);
    const calls: StepCalls = {
      client,
      key: (call) => ({
        idempotencyKey: scenarioIdempotencyKey(account.project_id, scenario.name, step.id, call),
      }),
    };
    tally.written = 0;
    tally.replayed = 0;
    let made: StepResult;
    let expected: Record<string, unknown>;
    try {
      const input = resolveReferences(step[kind], outputs, kind, step.id);
      expected = resolveReferences(step.expect ?? {}, outputs, 'expect', step.id);
      made = await (runners[kind] as (i: typeof input, c: StepCalls) => Promise<StepResult>)(
        input,
        calls,
      );
    } catch (error) {
      throw stepFailed(step, kind, error);
    }
    const reused = tally.written === 0 && tally.replayed > 0;
    checkStep(step, kind, made, expected, reused);
    outputs.set(step.id, made.value);
    const applied: AppliedStep = {
      id: step.id,
      kind,
      object: made.object,
      objectId: typeof made.value.id === 'string' ? made.value.id : null,
      outcome: kind === 'check' ? 'checked' : reused ? 'reused' : 'created',
      value: made.value,
    };
    steps.push(applied);
    options.onStep?.(applied);
  }
  return {
    scenario: scenario.name,
    projectId: account.project_id,
    steps,
    outputs: resolveReferences(scenario.outputs ?? {}, outputs, 'outputs'),
  };
}
