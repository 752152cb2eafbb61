export {
  applyScenario,
  scenarioIdempotencyKey,
  type AppliedStep,
  type ApplyScenarioOptions,
  type ApplyScenarioResult,
} from './apply-scenario.js';
export {
  ScenarioError,
  type ExpectationFailure,
  type ScenarioErrorCode,
  type ScenarioIssue,
} from './errors.js';
export { parseScenario, type ParseScenarioOptions } from './parse-scenario.js';
export { scenarioDigest } from './scenario-digest.js';
export {
  kindOf,
  paymentStates,
  stepKinds,
  type PaymentState,
  type Scenario,
  type ScenarioStep,
  type StepInput,
  type StepKind,
} from './scenario-schema.js';
