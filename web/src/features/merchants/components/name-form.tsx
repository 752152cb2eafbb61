import { createProjectInputSchema } from '@expe/contracts';
import { useState, type FormEvent } from 'react';
import { Button, FormError, TextField } from '../../../components/ui';
import { validate, type FieldErrors } from '../../../lib/form';

/** One-field form for a project name (create and rename), validated by the contract. */
export function NameForm({
  label,
  initial = '',
  submitLabel,
  onSubmit,
}: {
  label: string;
  initial?: string;
  submitLabel: string;
  onSubmit: (name: string) => Promise<unknown>;
}) {
  const [name, setName] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = validate(createProjectInputSchema, { name });
    if (!result.ok) return setErrors(result.errors);
    setErrors({});
    setBusy(true);
    try {
      await onSubmit(result.data.name);
      setName('');
    } catch (error) {
      setErrors({ form: error instanceof Error ? error.message : 'That did not work' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      noValidate
      onSubmit={(event) => void submit(event)}
      className="flex flex-wrap items-start gap-2"
    >
      <div className="min-w-0 flex-1">
        <TextField
          label={label}
          name="name"
          value={name}
          maxLength={100}
          onChange={(event) => setName(event.target.value)}
          error={errors.name}
        />
      </div>
      <Button type="submit" busy={busy} className="mt-6">
        {submitLabel}
      </Button>
      <div className="w-full">
        <FormError message={errors.form} />
      </div>
    </form>
  );
}
