/**
 * Why a scenario could not be read or applied; `code` is stable for callers to switch on:
 *
 * - `invalid_scenario`: the file does not follow the format (`issues` name each field);
 * - `unresolved_reference`: a `${step.field}` names a field the step's object does not have;
 * - `step_failed`: the API refused a step (`apiError` is the SDK's error);
 * - `expectation_failed`: a step ran but its object is not what `expect` (or `state`) says;
 * - `scenario_changed`: a step was applied to this project under the same name within the
 *   Idempotency-Key retention (24 h) with other parameters;
 * - `live_mode`: the key is a live key (scenarios make test data only).
 */
export type ScenarioErrorCode =
  | 'invalid_scenario'
  | 'unresolved_reference'
  | 'step_failed'
  | 'expectation_failed'
  | 'scenario_changed'
  | 'live_mode';

export interface ScenarioIssue {
  /** Where in the file, e.g. `steps[2].payment.amount`. */
  path: string;
  /** The step's id when the issue is inside a step. */
  step?: string;
  message: string;
}

export interface ExpectationFailure {
  field: string;
  expected: unknown;
  actual: unknown;
}

export class ScenarioError extends Error {
  readonly code: ScenarioErrorCode;
  /** The step that failed (absent for an invalid file or a live key). */
  readonly step: string | undefined;
  readonly issues: ScenarioIssue[];
  readonly failures: ExpectationFailure[];

  constructor(
    code: ScenarioErrorCode,
    message: string,
    details: {
      step?: string;
      issues?: ScenarioIssue[];
      failures?: ExpectationFailure[];
      cause?: unknown;
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ScenarioError';
    this.code = code;
    this.step = details.step;
    this.issues = details.issues ?? [];
    this.failures = details.failures ?? [];
  }

  /** A plain object for `--json` output and the operator's status. */
  toJSON(): Record<string, unknown> {
    return {
      type: 'scenario_error',
      code: this.code,
      message: this.message,
      ...(this.step ? { step: this.step } : {}),
      ...(this.issues.length > 0 ? { issues: this.issues } : {}),
      ...(this.failures.length > 0 ? { failures: this.failures } : {}),
    };
  }
}
