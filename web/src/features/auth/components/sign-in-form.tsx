import { loginInputSchema, type LoginInput, type SessionResource } from '@expe/contracts';
import { useState, type FormEvent } from 'react';
import { Button, FormError, TextField } from '../../../components/ui';
import { ApiError } from '../../../lib/api';
import { validate, type FieldErrors } from '../../../lib/form';

export function SignInForm({
  onSubmit,
  onDone,
  submitLabel = 'Sign in',
}: {
  onSubmit: (input: LoginInput) => Promise<SessionResource>;
  onDone: (session: SessionResource) => void;
  submitLabel?: string;
}) {
  const [values, setValues] = useState({ email: '', password: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = validate(loginInputSchema, values);
    if (!result.ok) {
      return setErrors(
        result.errors.password && !values.password
          ? { ...result.errors, password: 'Enter your password' }
          : result.errors,
      );
    }
    setErrors({});
    setBusy(true);
    try {
      onDone(await onSubmit(result.data));
    } catch (error) {
      setErrors({
        form:
          error instanceof ApiError && error.code === 'invalid_credentials'
            ? 'Wrong email or password.'
            : error instanceof Error
              ? error.message
              : 'Sign-in failed',
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="space-y-4">
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        value={values.email}
        onChange={(event) => setValues({ ...values, email: event.target.value })}
        error={errors.email}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        value={values.password}
        onChange={(event) => setValues({ ...values, password: event.target.value })}
        error={errors.password}
      />
      <FormError message={errors.form} />
      <Button type="submit" busy={busy} className="w-full">
        {submitLabel}
      </Button>
    </form>
  );
}
