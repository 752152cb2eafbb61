import { createApiKeyInputSchema, type CreateApiKeyInput, type Mode } from '@expe/contracts';
import { Button, FormError, SelectField, TextField } from '../../../components/ui';
import { useForm, validate } from '../../../lib/form';

export function ApiKeyForm({
  mode,
  onSubmit,
}: {
  mode: Mode;
  onSubmit: (input: CreateApiKeyInput) => Promise<unknown>;
}) {
  const form = useForm({ name: '', mode });
  const submit = form.handleSubmit(() => validate(createApiKeyInputSchema, form.values), onSubmit);
  return (
    <form noValidate onSubmit={submit} className="space-y-4">
      <TextField
        label="Key name"
        placeholder="Backend server"
        {...form.field('name')}
        name="key-name"
      />
      <SelectField label="Mode" {...form.field('mode')} name="key-mode">
        <option value="test">test</option>
        <option value="live">live</option>
      </SelectField>
      <FormError message={form.errors.form} />
      <div className="flex justify-end">
        <Button type="submit" busy={form.busy}>
          Create key
        </Button>
      </div>
    </form>
  );
}
