import { loginInputSchema, type LoginInput, type SessionResource } from '@expe/contracts';
import { Button, FormError, TextField } from '../../../components/ui';
import { ApiError } from '../../../lib/api';
import { useForm, validate, type FieldErrors } from '../../../lib/form';

export function SignInForm({
  onSubmit,
  onDone,
  submitLabel = 'Sign in',
}: {
  onSubmit: (input: LoginInput) => Promise<SessionResource>;
  onDone: (session: SessionResource) => void;
  submitLabel?: string;
}) {
  const form = useForm({ email: '', password: '' });
  const { values } = form;

  const submit = form.handleSubmit(
    () =>
      validate(
        loginInputSchema,
        values,
        values.password ? {} : { password: { ok: false, error: 'Enter your password' } },
      ),
    async (input) => onDone(await onSubmit(input)),
    (error): FieldErrors => ({
      form:
        error instanceof ApiError && error.code === 'invalid_credentials'
          ? 'Wrong email or password.'
          : error instanceof Error
            ? error.message
            : 'Sign-in failed',
    }),
  );

  return (
    <form noValidate onSubmit={submit} className="space-y-4">
      <TextField label="Email" type="email" autoComplete="email" {...form.field('email')} />
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        {...form.field('password')}
      />
      <FormError message={form.errors.form} />
      <Button type="submit" busy={form.busy} className="w-full">
        {submitLabel}
      </Button>
    </form>
  );
}
