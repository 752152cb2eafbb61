import type { z } from '@expe/contracts';
import { useState } from 'react';
import { ApiError } from './api';

export type FieldErrors = Record<string, string>;

/** A field read before the schema sees it (`readAmount`): its value, or its own message. */
export type FieldReading = { ok: true } | { ok: false; error: string };

/**
 * Validates form values with a contract schema. Errors are keyed by the field path
 * (`card.number`), first message per field, so inputs can show them beside themselves. A field
 * in `read` that could not be read shows its own message instead of the schema's.
 */
export function validate<S extends z.ZodType>(
  schema: S,
  values: unknown,
  read: Record<string, FieldReading> = {},
): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(values);
  const errors: FieldErrors = {};
  for (const [key, reading] of Object.entries(read)) if (!reading.ok) errors[key] = reading.error;
  if (result.success && Object.keys(errors).length === 0) return { ok: true, data: result.data };
  for (const issue of result.error?.issues ?? []) {
    const key = issue.path.join('.') || 'form';
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

/** Maps an API 400 (`param: "card[number]"`) onto the same keys as `validate`. */
export function paramKey(param: string | undefined): string {
  return param ? param.replace(/\[(\w+)\]/g, '.$1') : 'form';
}

/** An API error as field errors: on the field it names (`param`), else on the whole form. */
export function apiFieldErrors(error: unknown, fallback = 'That did not work'): FieldErrors {
  if (error instanceof ApiError && error.param) return { [paramKey(error.param)]: error.message };
  return { form: error instanceof Error ? error.message : fallback };
}

/**
 * The state every form of the console keeps: string values, errors by field, and busy while it
 * submits. `field(name)` gives a TextField or SelectField its name, value, onChange and error.
 */
export function useForm<V extends Record<string, string>>(initial: V) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const set = (name: keyof V) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [name]: event.target.value }));
  return {
    values,
    setValues,
    errors,
    setErrors,
    busy,
    set,
    field: (name: keyof V & string) => ({
      name,
      value: values[name],
      onChange: set(name),
      error: errors[name],
    }),
    /** Runs `work` busy, after clearing the errors; what it throws becomes `onError`'s errors. */
    run: async (work: () => Promise<void>, onError: (error: unknown) => FieldErrors) => {
      setErrors({});
      setBusy(true);
      try {
        await work();
      } catch (error) {
        setErrors(onError(error));
      } finally {
        setBusy(false);
      }
    },
  };
}
