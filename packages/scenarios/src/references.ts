import { ScenarioError } from './errors.js';
import { referencePattern } from './scenario-schema.js';

const referenceBody = /^([a-z][a-z0-9_-]{0,63})((?:\.[A-Za-z0-9_]+)+)$/;

export interface FoundReference {
  /** As written, e.g. `${order.dispute.id}`. */
  text: string;
  /** The step it names; undefined when the text is not a well-formed reference. */
  step: string | undefined;
  /** The field path inside that step's object, e.g. `['dispute', 'id']`. */
  fields: string[];
  /** Where it was found, e.g. `refund.payment`. */
  path: string;
}

function parseReference(text: string, inner: string, path: string): FoundReference {
  const match = referenceBody.exec(inner.trim());
  if (!match) return { text, step: undefined, fields: [], path };
  return { text, step: match[1], fields: match[2]!.slice(1).split('.'), path };
}

/** Every `${…}` in the strings of a value, with where it is. */
export function referencesIn(value: unknown, path: string): FoundReference[] {
  if (typeof value === 'string') {
    return [...value.matchAll(referencePattern)].map((match) =>
      parseReference(match[0], match[1]!, path),
    );
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => referencesIn(item, `${path}[${index}]`));
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => referencesIn(item, `${path}.${key}`));
  }
  return [];
}

/** What earlier steps made, by step id: the object each step's output is. */
export type StepOutputs = ReadonlyMap<string, Record<string, unknown>>;

function lookUp(found: FoundReference, outputs: StepOutputs, step: string | undefined): unknown {
  const fail = (message: string) =>
    new ScenarioError('unresolved_reference', message, step === undefined ? {} : { step });
  const where = `${step === undefined ? '' : `step "${step}": `}${found.path}: ${found.text}`;
  if (found.step === undefined) {
    throw fail(`${where} is not a reference: write \${step.field}, e.g. \${customer.id}`);
  }
  const object = outputs.get(found.step);
  if (object === undefined) {
    throw fail(`${where} refers to "${found.step}", which is not a step that ran before this one`);
  }
  let value: unknown = object;
  const walked: string[] = [];
  for (const field of found.fields) {
    const container = value;
    value =
      container !== null && typeof container === 'object' && Object.hasOwn(container, field)
        ? (container as Record<string, unknown>)[field]
        : undefined;
    if (value === undefined) {
      const known =
        container !== null && typeof container === 'object'
          ? ` (it has: ${Object.keys(container).join(', ')})`
          : ` (${[found.step, ...walked].join('.')} is ${JSON.stringify(container)})`;
      throw fail(`${where}: ${[found.step, ...walked].join('.')} has no field "${field}"${known}`);
    }
    walked.push(field);
  }
  return value;
}

/**
 * The value with every reference replaced by what it names. A string that is one reference and
 * nothing else becomes the value itself (a number stays a number); a reference inside a longer
 * string is written into it, and must name a string, number or boolean.
 */
export function resolveReferences<T>(
  value: T,
  outputs: StepOutputs,
  path: string,
  step?: string,
): T {
  if (typeof value === 'string') {
    const found = referencesIn(value, path);
    if (found.length === 0) return value;
    if (found.length === 1 && found[0]!.text === value) {
      return lookUp(found[0]!, outputs, step) as T;
    }
    return value.replace(referencePattern, (text, inner: string) => {
      const reference = parseReference(text, inner, path);
      const resolved = lookUp(reference, outputs, step);
      if (
        typeof resolved !== 'string' &&
        typeof resolved !== 'number' &&
        typeof resolved !== 'boolean'
      ) {
        throw new ScenarioError(
          'unresolved_reference',
          `${step === undefined ? '' : `step "${step}": `}${path}: ${text} is ${resolved === null ? 'null' : 'not a string, number or boolean'}, which cannot be written into a string`,
          step === undefined ? {} : { step },
        );
      }
      return String(resolved);
    }) as T;
  }
  if (Array.isArray(value)) {
    return (value as unknown[]).map((item, index) =>
      resolveReferences(item, outputs, `${path}[${index}]`, step),
    ) as T;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        resolveReferences(item, outputs, `${path}.${key}`, step),
      ]),
    ) as T;
  }
  return value;
}

/** The value at a dotted field path of an object (`dispute.status`), or undefined. */
export function fieldAt(object: unknown, path: string): unknown {
  let value = object;
  for (const field of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, field)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[field];
  }
  return value;
}
