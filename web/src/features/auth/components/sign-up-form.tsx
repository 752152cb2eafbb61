import { registerInputSchema, type RegisterInput, type SessionResource } from '@expe/contracts';
import { useState, type FormEvent } from 'react';
import { Button, FormError, TextField } from '../../../components/ui';
import { ApiError } from '../../../lib/api';
import { paramKey, validate, type FieldErrors } from '../../../lib/form';

export function SignUpForm({
  onSubmit,
  onDone,
}: {
  onSubmit: (input: RegisterInput) => Promise<SessionResource>;
  onDone: (session: SessionResource) => void;
}) {
  const [values, setValues] = useState({
    name: '',
    email: '',
    password: '',
    role: 'user' as 'user' | 'merchant',
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const set = (name: keyof typeof values) => (event: { target: { value: string } }) =>
    setValues({ ...values, [name]: event.target.value });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = validate(registerInputSchema, values);
    if (!result.ok) return setErrors(result.errors);
    setErrors({});
    setBusy(true);
    try {
      onDone(await onSubmit(result.data));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'email_taken') {
        setErrors({ email: 'An account with this email already exists. Sign in instead.' });
      } else if (error instanceof ApiError && error.param) {
        setErrors({ [paramKey(error.param)]: error.message });
      } else {
        setErrors({ form: error instanceof Error ? error.message : 'Sign-up failed' });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="space-y-4">
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
        name="name"
        autoComplete="name"
        value={values.name}
        onChange={set('name')}
        error={errors.name}
      />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        value={values.email}
        onChange={set('email')}
        error={errors.email}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        value={values.password}
        onChange={set('password')}
        error={errors.password}
        hint="At least 10 characters."
      />
      <FormError message={errors.form} />
      <Button type="submit" busy={busy} className="w-full">
        Create account
      </Button>
    </form>
  );
}
