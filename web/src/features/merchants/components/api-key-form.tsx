import { createApiKeyInputSchema, type CreateApiKeyInput, type Mode } from '@expe/contracts';
import { useState, type FormEvent } from 'react';
import { Button, FormError, SelectField, TextField } from '../../../components/ui';
import { validate, type FieldErrors } from '../../../lib/form';

export function ApiKeyForm({
  mode,
  onSubmit,
}: {
  mode: Mode;
  onSubmit: (input: CreateApiKeyInput) => Promise<unknown>;
}) {
  const [values, setValues] = useState({ name: '', mode });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = validate(createApiKeyInputSchema, values);
    if (!result.ok) return setErrors(result.errors);
    setErrors({});
    setBusy(true);
    try {
      await onSubmit(result.data);
    } catch (error) {
      setErrors({ form: error instanceof Error ? error.message : 'That did not work' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="space-y-4">
      <TextField
        label="Key name"
        name="key-name"
        placeholder="Backend server"
        value={values.name}
        onChange={(event) => setValues({ ...values, name: event.target.value })}
        error={errors.name}
      />
      <SelectField
        label="Mode"
        name="key-mode"
        value={values.mode}
        onChange={(event) => setValues({ ...values, mode: event.target.value as Mode })}
        error={errors.mode}
      >
        <option value="test">test</option>
        <option value="live">live</option>
      </SelectField>
      <FormError message={errors.form} />
      <div className="flex justify-end">
        <Button type="submit" busy={busy}>
          Create key
        </Button>
      </div>
    </form>
  );
}
