import type { z } from 'zod';
import { AppError } from './errors.js';

/** Renders a zod path the way Stripe names parameters: `card[number]`, `metadata[order]`. */
export function paramName(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path.map(String);
  return (head ?? '') + rest.map((part) => `[${part}]`).join('');
}

/**
 * The path of the first string (key or value) in `input` that holds a NUL character. PostgreSQL
 * stores no `\u0000` in text or jsonb, so such a value would fail at the database as a 500
 * after part of the work was done; refusing it here, once for every route, keeps it a 400.
 */
export function findNulCharacter(
  input: unknown,
  path: PropertyKey[] = [],
): PropertyKey[] | undefined {
  if (typeof input === 'string') return input.includes('\u0000') ? path : undefined;
  if (Array.isArray(input)) {
    for (const [index, item] of input.entries()) {
      const found = findNulCharacter(item, [...path, index]);
      if (found) return found;
    }
    return undefined;
  }
  if (input !== null && typeof input === 'object') {
    for (const [key, value] of Object.entries(input)) {
      if (key.includes('\u0000')) return [...path, key];
      const found = findNulCharacter(value, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Validates `input` against a contract schema. The first problem becomes a 400 that names the
 * parameter, so the client knows exactly which field to fix.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const nulAt = findNulCharacter(input);
  if (nulAt) {
    const param = paramName(nulAt);
    throw AppError.of(
      'parameter_invalid',
      `Invalid ${param || 'request'}: must not contain the NUL character (\\u0000)`,
      { param: param || undefined },
    );
  }
  const result = schema.safeParse(input ?? {}, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw AppError.of('parameter_invalid', 'Invalid request');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const param = paramName([...issue.path, key]);
    throw AppError.of('parameter_unknown', `Received unknown parameter: ${param}`, { param });
  }
  const param = paramName(issue.path);
  const isMissing = issue.code === 'invalid_type' && 'input' in issue && issue.input === undefined;
  if (isMissing) {
    throw AppError.of('parameter_missing', `Missing required param: ${param}`, { param });
  }
  throw AppError.of('parameter_invalid', `Invalid ${param || 'request'}: ${issue.message}`, {
    param: param || undefined,
  });
}
