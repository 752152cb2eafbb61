import { StripeError } from './errors.js';

/**
 * How far Expe goes with a Stripe parameter: `supported` behaves as Stripe documents it;
 * `partial` is accepted with a documented difference; `not` is refused with
 * `parameter_unknown` naming it (never silently ignored).
 */
export type Support = 'supported' | 'partial' | 'not';

export type ParamType =
  | { kind: 'string'; maxLength?: number }
  | { kind: 'integer'; min?: number }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'metadata' }
  | { kind: 'list'; of: ParamType }
  | { kind: 'hash'; fields: Record<string, ParamSpec> }
  /** `created=123` or `created[gte]=…&created[lt]=…` */
  | { kind: 'range' };

export interface ParamSpec {
  type: ParamType;
  support: Support;
  required?: boolean;
  /** What differs from Stripe, shown in docs/stripe-compatibility.md. */
  note?: string;
}

export type ParamSpecs = Record<string, ParamSpec>;

export type ParsedParams = Record<string, unknown>;

const maxMetadataKeys = 50;

/**
 * Checks form parameters (as `qs` parsed them: strings, arrays, nested objects) against an
 * operation's specs and converts them to typed values. Anything not listed is refused with
 * `parameter_unknown`, anything listed as `not` too, so a request Expe cannot honour is never
 * half-done; nothing is written before this has passed.
 */
export function parseParams(specs: ParamSpecs, raw: unknown): ParsedParams {
  const input = raw === undefined || raw === null || raw === '' ? {} : raw;
  if (!isHash(input)) throw StripeError.invalid('parameter_invalid', 'Invalid request body');
  return parseHash(specs, input, '');
}

function parseHash(specs: ParamSpecs, input: Record<string, unknown>, prefix: string) {
  const out: ParsedParams = {};
  const supportedNames = Object.entries(specs)
    .filter(([, spec]) => spec.support !== 'not')
    .map(([name]) => name);
  for (const [name, value] of Object.entries(input)) {
    const param = prefix ? `${prefix}[${name}]` : name;
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec) throw StripeError.unknownParameter(param, supportedNames);
    if (spec.support === 'not') throw StripeError.notSupported(param, spec.note);
    const parsed = parseValue(spec, value, param);
    if (parsed !== undefined) out[name] = parsed;
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.required && out[name] === undefined) {
      throw StripeError.missing(prefix ? `${prefix}[${name}]` : name);
    }
  }
  return out;
}

function parseValue(spec: ParamSpec, value: unknown, param: string): unknown {
  const type = spec.type;
  switch (type.kind) {
    case 'string': {
      const text = expectString(value, param);
      if (text === '') return spec.required ? emptyError(param) : null;
      if (type.maxLength !== undefined && text.length > type.maxLength) {
        throw StripeError.invalid(
          'parameter_invalid_string_too_long',
          `Invalid ${param}: must be at most ${type.maxLength} characters`,
          param,
        );
      }
      return text;
    }
    case 'integer': {
      const text = expectString(value, param);
      if (text === '') return emptyError(param);
      if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
        throw StripeError.invalid(
          'parameter_invalid_integer',
          `Invalid integer: ${text.slice(0, 40)}`,
          param,
        );
      }
      const number = Number(text);
      if (type.min !== undefined && number < type.min) {
        throw StripeError.invalid(
          'parameter_invalid_integer',
          `Invalid ${param}: must be at least ${type.min}`,
          param,
        );
      }
      return number;
    }
    case 'boolean': {
      const text = expectString(value, param);
      if (text === '') return emptyError(param);
      if (text !== 'true' && text !== 'false') {
        throw StripeError.invalid(
          'parameter_invalid_boolean',
          `Invalid boolean: ${text.slice(0, 40)}`,
          param,
        );
      }
      return text === 'true';
    }
    case 'enum': {
      const text = expectString(value, param);
      if (text === '') return emptyError(param);
      if (!type.values.includes(text)) {
        throw StripeError.invalid(
          'parameter_invalid',
          `Invalid ${param}: ${JSON.stringify(text)} is not one of ${type.values.join(', ')}`,
          param,
        );
      }
      return text;
    }
    case 'metadata': {
      // `metadata=` clears all keys on an update, as in Stripe: null, which Expe's updates take
      // for "remove every key" (a key set to "" is passed on: Expe removes that one).
      if (value === '') return null;
      if (!isHash(value)) {
        throw StripeError.invalid('parameter_invalid', `Invalid hash: ${param}`, param);
      }
      const entries = Object.entries(value);
      if (entries.length > maxMetadataKeys) {
        throw StripeError.invalid(
          'parameter_invalid',
          `Invalid ${param}: at most ${maxMetadataKeys} keys`,
          param,
        );
      }
      const metadata: Record<string, string> = {};
      for (const [key, item] of entries) {
        const text = expectString(item, `${param}[${key}]`);
        if (key.length > 40 || text.length > 500) {
          throw StripeError.invalid(
            'parameter_invalid',
            `Invalid ${param}[${key}]: keys are at most 40 characters, values at most 500`,
            `${param}[${key}]`,
          );
        }
        metadata[key] = text;
      }
      return metadata;
    }
    case 'list': {
      // qs turns `a[]=x&a[]=y` into an array, `a[0]=x&a[1]=y` too, and `a=` into ''.
      if (value === '') return [];
      const items = Array.isArray(value)
        ? value
        : isHash(value) && Object.keys(value).every((key) => /^\d+$/.test(key))
          ? Object.values(value)
          : undefined;
      if (!items) {
        throw StripeError.invalid('parameter_invalid', `Invalid array: ${param}`, param);
      }
      // An item is a value: an empty one (`line_items[0]=`) unsets nothing, so it is refused.
      return items.map((item, index) =>
        parseValue(
          { type: type.of, support: 'supported', required: type.of.kind === 'hash' },
          item,
          `${param}[${index}]`,
        ),
      );
    }
    case 'hash': {
      // As in Stripe, an empty string unsets a hash (`shipping=` removes a customer's shipping):
      // null, which each handler passes on as Expe's "remove" (or refuses where nothing can be
      // unset). A required hash cannot be unset.
      if (value === '') return spec.required ? emptyError(param) : null;
      if (!isHash(value)) {
        throw StripeError.invalid('parameter_invalid', `Invalid hash: ${param}`, param);
      }
      return parseHash(type.fields, value, param);
    }
    case 'range': {
      if (typeof value === 'string') {
        return {
          eq: parseValue({ type: { kind: 'integer', min: 0 }, support: 'supported' }, value, param),
        };
      }
      if (!isHash(value)) {
        throw StripeError.invalid('parameter_invalid', `Invalid hash: ${param}`, param);
      }
      const bound = { type: { kind: 'integer', min: 0 }, support: 'supported' } as const;
      return parseHash({ gt: bound, gte: bound, lt: bound, lte: bound }, value, param);
    }
  }
}

function emptyError(param: string): never {
  throw StripeError.invalid(
    'parameter_invalid_empty',
    `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
    param,
  );
}

function expectString(value: unknown, param: string): string {
  if (typeof value === 'string') return value;
  throw StripeError.invalid(
    'parameter_invalid',
    `Invalid ${param}: expected a single value, got ${Array.isArray(value) ? 'an array' : 'a hash'}`,
    param,
  );
}

function isHash(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Spec builders, so the operation table reads as a table. */
export const p = {
  string: (support: Support = 'supported', note?: string, maxLength?: number): ParamSpec => ({
    type: { kind: 'string', ...(maxLength ? { maxLength } : {}) },
    support,
    ...(note ? { note } : {}),
  }),
  integer: (support: Support = 'supported', note?: string, min?: number): ParamSpec => ({
    type: { kind: 'integer', ...(min !== undefined ? { min } : {}) },
    support,
    ...(note ? { note } : {}),
  }),
  boolean: (support: Support = 'supported', note?: string): ParamSpec => ({
    type: { kind: 'boolean' },
    support,
    ...(note ? { note } : {}),
  }),
  enum: (values: readonly string[], support: Support = 'supported', note?: string): ParamSpec => ({
    type: { kind: 'enum', values },
    support,
    ...(note ? { note } : {}),
  }),
  metadata: (support: Support = 'supported', note?: string): ParamSpec => ({
    type: { kind: 'metadata' },
    support,
    ...(note ? { note } : {}),
  }),
  list: (of: ParamType, support: Support = 'supported', note?: string): ParamSpec => ({
    type: { kind: 'list', of },
    support,
    ...(note ? { note } : {}),
  }),
  hash: (fields: ParamSpecs, support: Support = 'supported', note?: string): ParamSpec => ({
    type: { kind: 'hash', fields },
    support,
    ...(note ? { note } : {}),
  }),
  range: (support: Support = 'supported', note?: string): ParamSpec => ({
    type: { kind: 'range' },
    support,
    ...(note ? { note } : {}),
  }),
  /** A Stripe parameter Expe refuses (listed so the table and the error name it). */
  not: (note?: string): ParamSpec => ({
    type: { kind: 'string' },
    support: 'not',
    ...(note ? { note } : {}),
  }),
  required(spec: ParamSpec): ParamSpec {
    return { ...spec, required: true };
  },
};
