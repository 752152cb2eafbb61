import type { z } from '@expe/contracts';

export type FieldErrors = Record<string, string>;

/**
 * Validates form values with a contract schema. Errors are keyed by the field path
 * (`card.number`), first message per field, so inputs can show them beside themselves.
 */
export function validate<S extends z.ZodType>(
  schema: S,
  values: unknown,
): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join('.') || 'form';
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

/** Maps an API 400 (`param: "card[number]"`) onto the same keys as `validate`. */
export function paramKey(param: string | undefined): string {
  return param ? param.replace(/\[(\w+)\]/g, '.$1') : 'form';
}
