import type { z } from 'zod';
import { AppError } from './errors.js';

/** Renders a zod path the way Stripe names parameters: `card[number]`, `metadata[order]`. */
export function paramName(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path.map(String);
  return (head ?? '') + rest.map((part) => `[${part}]`).join('');
}

/**
 * Validates `input` against a contract schema. The first problem becomes a 400 that names the
 * parameter, so the client knows exactly which field to fix.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
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
