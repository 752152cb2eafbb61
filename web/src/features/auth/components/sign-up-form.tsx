import { registerInputSchema, type RegisterInput, type SessionResource } from '@expe/contracts';
import { Button, FormError, TextField } from '../../../components/ui';
import { ApiError } from '../../../lib/api';
import { apiFieldErrors, useForm, validate } from '../../../lib/form';

export function SignUpForm({
  onSubmit,
  onDone,
}: {
  onSubmit: (input: RegisterInput) => Promise<SessionResource>;
  onDone: (session: SessionResource) => void;
}) {
  const form = useForm({ name: '', email: '', password: '', role: 'user' });
  const { values, set } = form;

  const submit = form.handleSubmit(
    () => validate(registerInputSchema, values),
    async (input) => onDone(await onSubmit(input)),
    (error) =>
      error instanceof ApiError && error.code === 'email_taken'
        ? { email: 'An account with this email already exists. Sign in instead.' }
        : apiFieldErrors(error, 'Sign-up failed'),
  );

  return (
    <form noValidate onSubmit={submit} className="space-y-4">
      <fieldset>
        <legend className="mb-2 text-sm font-medium text-slate-700">I want to</legend>
        <div className="grid grid-cols-2 gap-2">
          {(
            [
              ['user', 'Pay and send money', 'A wallet with a VPA'],
              ['merchant', 'Accept payments', 'Dashboard and API keys'],
            ] as const
          ).map(([role, title, note]) => (
            <label
              key={role}
              className={`cursor-pointer rounded-lg p-3 text-sm ring-1 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-brand-600 ${values.role === role ? 'bg-brand-50 ring-2 ring-brand-600' : 'ring-slate-300'}`}
            >
              <input
                type="radio"
                name="role"
                value={role}
                checked={values.role === role}
                onChange={set('role')}
                className="sr-only"
              />
              <span className="block font-medium">{title}</span>
              <span className="block text-xs text-slate-600">{note}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <TextField
        label={values.role === 'merchant' ? 'Business name' : 'Your name'}
        autoComplete="name"
        {...form.field('name')}
      />
      <TextField label="Email" type="email" autoComplete="email" {...form.field('email')} />
      <TextField
        label="Password"
        type="password"
        autoComplete="new-password"
        hint="At least 10 characters."
        {...form.field('password')}
      />
      <FormError message={form.errors.form} />
      <Button type="submit" busy={form.busy} className="w-full">
        Create account
      </Button>
    </form>
  );
}
