import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import english from 'zod/v4/locales/en.js';
import { ScenarioError, type ScenarioIssue } from './errors.js';
import { referencesIn } from './references.js';
import { scenarioSchema, stepKinds, type Scenario } from './scenario-schema.js';

const { localeError } = english();

export interface ParseScenarioOptions {
  /** Named in error messages, e.g. the file's path. */
  source?: string;
}

/**
 * A scenario from YAML or JSON text (JSON is YAML too), or from an object already parsed (a
 * Kubernetes resource's `spec.fixtures`). Every problem is reported at once, each naming the
 * step and the field: `ScenarioError` with code `invalid_scenario` and `issues`.
 */
export function parseScenario(input: unknown, options: ParseScenarioOptions = {}): Scenario {
  const where = options.source ? `${options.source}: ` : '';
  const document = typeof input === 'string' ? readText(input, where) : input;
  const parsed = scenarioSchema.safeParse(document, { error: localeError });
  // Ids and references are checked on the document as written, so that one run reports them
  // along with the schema's issues.
  const stepIssues = checkSteps(document);
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap((issue) => {
      const fields = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
      return fields.map((field) =>
        issueAt(
          document,
          field === undefined ? issue.path : [...issue.path, field],
          field === undefined ? issue.message : 'is not a field of this format',
        ),
      );
    });
    throw invalid(where, [...issues, ...stepIssues]);
  }
  if (stepIssues.length > 0) throw invalid(where, stepIssues);
  return parsed.data;
}

function readText(text: string, where: string): unknown {
  try {
    // The core schema: YAML 1.2's plain types only. The default one would turn `2026-01-01`
    // into a Date and `<<` into a merge; neither belongs in a scenario. Duplicate keys throw.
    return load(text, { schema: CORE_SCHEMA });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const line = error.mark
      ? ` (line ${error.mark.line + 1}, column ${error.mark.column + 1})`
      : '';
    throw new ScenarioError(
      'invalid_scenario',
      `${where}not YAML or JSON${line}: ${error.reason}`,
      { issues: [{ path: '', message: `${error.reason}${line}` }] },
    );
  }
}

function invalid(where: string, issues: ScenarioIssue[]): ScenarioError {
  const lines = issues.map(
    (issue) =>
      `  ${issue.step ? `step "${issue.step}" ` : ''}${issue.path || '(the file)'}: ${issue.message}`,
  );
  return new ScenarioError(
    'invalid_scenario',
    `${where}not a valid scenario:\n${lines.join('\n')}`,
    { issues },
  );
}

function issueAt(document: unknown, path: PropertyKey[], message: string): ScenarioIssue {
  const text = path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
  const step = stepIdAt(document, path);
  return step === undefined ? { path: text, message } : { path: text, step, message };
}

/** The id written in the step the path points into, when it has one. */
function stepIdAt(document: unknown, path: PropertyKey[]): string | undefined {
  if (path[0] !== 'steps' || typeof path[1] !== 'number') return undefined;
  const steps = (document as { steps?: unknown } | null)?.steps;
  const id = Array.isArray(steps) ? (steps[path[1]] as { id?: unknown } | null)?.id : undefined;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Unique step ids, and references that point at a step before the one that uses them, in a
 * document that may not follow the schema (what does not is the schema's to report).
 */
function checkSteps(document: unknown): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const seen = new Set<string>();
  const { steps, outputs } = (document ?? {}) as { steps?: unknown; outputs?: unknown };
  (Array.isArray(steps) ? (steps as unknown[]) : []).forEach((item, index) => {
    if (item === null || typeof item !== 'object') return;
    const step = item as Record<string, unknown>;
    if (typeof step.id !== 'string') return;
    if (seen.has(step.id)) {
      issues.push({
        path: `steps[${index}].id`,
        step: step.id,
        message: `another step before this one is called "${step.id}": step ids are unique`,
      });
    }
    const kinds = stepKinds.filter((kind) => step[kind] !== undefined);
    for (const field of [...kinds, 'expect']) {
      for (const found of referencesIn(step[field], field)) {
        const problem =
          found.step === undefined
            ? `"${found.text}" is not a reference: write \${step.field}, e.g. \${customer.id}`
            : found.step === step.id
              ? `"${found.text}" refers to this step itself: only earlier steps can be referred to`
              : !seen.has(found.step)
                ? `"${found.text}" refers to "${found.step}", which is not a step before this one`
                : undefined;
        if (problem) {
          issues.push({ path: `steps[${index}].${found.path}`, step: step.id, message: problem });
        }
      }
    }
    seen.add(step.id);
  });
  for (const found of referencesIn(outputs ?? {}, 'outputs')) {
    if (found.step === undefined || !seen.has(found.step)) {
      issues.push({
        path: found.path,
        message:
          found.step === undefined
            ? `"${found.text}" is not a reference: write \${step.field}, e.g. \${customer.id}`
            : `"${found.text}" refers to "${found.step}", which is not a step of this scenario`,
      });
    }
  }
  return issues;
}
