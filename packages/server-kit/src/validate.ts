import type { z } from 'zod';
import { AppError } from './errors.js';
import { checkBodyShape, paramName } from './request-body.js';

export { paramName };

/**
 * Validates `input` against a contract schema. The first problem becomes a 400 that names the
 * parameter, so the client knows exactly which field to fix. Before the schema, the bounded walk
 * refuses what no route takes: too deep, too many values, NUL characters, `__proto__` keys.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  // Bodies were walked when read (readRequestBody); query strings and other inputs are here.
  checkBodyShape(input);
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
