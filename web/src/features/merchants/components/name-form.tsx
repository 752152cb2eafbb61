import { createProjectInputSchema } from '@expe/contracts';
import { Button, FormError, TextField } from '../../../components/ui';
import { useForm, validate } from '../../../lib/form';

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
  const form = useForm({ name: initial });
  const submit = form.handleSubmit(
    () => validate(createProjectInputSchema, form.values),
    async ({ name }) => {
      await onSubmit(name);
      form.setValues({ name: '' });
    },
    (error) => ({ form: error instanceof Error ? error.message : 'That did not work' }),
  );
  return (
    <form noValidate onSubmit={submit} className="flex flex-wrap items-start gap-2">
      <div className="min-w-0 flex-1">
        <TextField label={label} maxLength={100} {...form.field('name')} />
      </div>
      <Button type="submit" busy={form.busy} className="mt-6">
        {submitLabel}
      </Button>
      <div className="w-full">
        <FormError message={form.errors.form} />
      </div>
    </form>
  );
}
