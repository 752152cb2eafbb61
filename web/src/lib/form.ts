import type { z } from '@expe/contracts';
import { useState, type FormEvent } from 'react';
import { ApiError } from './api';

export type FieldErrors = Record<string, string>;

/** Form values checked: the data to send, or the errors to show by field. */
export type Checked<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

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
): Checked<z.output<S>> {
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
 * The state every form keeps: string values, errors by field, and busy while it submits.
 * `field(name)` gives a TextField or SelectField its name, value, onChange and error;
 * `handleSubmit(check, act)` is the form's onSubmit.
 */
export function useForm<V extends Record<string, string>>(initial: V) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const set = (name: keyof V) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [name]: event.target.value }));
  /** Runs `work` busy, after clearing the errors; what it throws becomes `onError`'s errors. */
  const run = async (work: () => Promise<void>, onError: (error: unknown) => FieldErrors) => {
    setErrors({});
    setBusy(true);
    try {
      await work();
    } catch (error) {
      setErrors(onError(error));
    } finally {
      setBusy(false);
    }
  };
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
    run,
    /**
     * The form's onSubmit: `check` validates the values (`validate`, which may wait for schemas
     * loaded on demand); when they pass, `act` runs busy with the data, and what it throws
     * becomes `onError`'s errors (by default on the field the API names, else the whole form).
     */
    handleSubmit:
      <T>(
        check: () => Checked<T> | Promise<Checked<T>>,
        act: (data: T) => Promise<unknown>,
        onError: (error: unknown) => FieldErrors = apiFieldErrors,
      ) =>
      (event: FormEvent) => {
        event.preventDefault();
        void (async () => {
          const result = await check();
          if (!result.ok) return setErrors(result.errors);
          await run(async () => {
            await act(result.data);
          }, onError);
        })();
      },
  };
}
