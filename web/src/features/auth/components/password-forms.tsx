import {
  changePasswordInputSchema,
  passwordResetConfirmInputSchema,
  passwordResetRequestInputSchema,
} from '@expe/contracts';
import { useState, type FormEvent } from 'react';
import { Button, FormError, TextField } from '../../../components/ui';
import { ApiError } from '../../../lib/api';
import { validate, type FieldErrors } from '../../../lib/form';

function failure(error: unknown): FieldErrors {
  if (error instanceof ApiError && error.code === 'invalid_credentials') {
    return { current_password: 'The current password is wrong.' };
  }
  if (error instanceof ApiError && error.code === 'token_invalid') {
    return { form: 'This link is invalid or has expired. Ask for a new one.' };
  }
  return { form: error instanceof Error ? error.message : 'That did not work' };
}

export function ForgotPasswordForm({
  onSubmit,
  onDone,
}: {
  onSubmit: (email: string) => Promise<void>;
  onDone: (email: string) => void;
}) {
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = validate(passwordResetRequestInputSchema, { email });
    if (!result.ok) return setErrors(result.errors);
    setErrors({});
    setBusy(true);
    try {
      await onSubmit(result.data.email);
      onDone(result.data.email);
    } catch (error) {
      setErrors(failure(error));
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
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={errors.email}
      />
      <FormError message={errors.form} />
      <Button type="submit" busy={busy} className="w-full">
        Send reset link
      </Button>
    </form>
  );
}

/** New password twice; the contract's password rule plus a match check. */
export function ResetPasswordForm({
  token,
  onSubmit,
  onDone,
}: {
  token: string;
  onSubmit: (token: string, password: string) => Promise<void>;
  onDone: () => void;
}) {
  const [values, setValues] = useState({ password: '', confirm: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = validate(passwordResetConfirmInputSchema, { token, password: values.password });
    const next: FieldErrors = result.ok ? {} : { ...result.errors };
    if (next.token) next.form = 'This reset link is incomplete. Open the link from the mail again.';
    if (values.password !== values.confirm) next.confirm = 'The passwords do not match';
    if (!result.ok || next.confirm) return setErrors(next);
    setErrors({});
    setBusy(true);
    try {
      await onSubmit(result.data.token, result.data.password);
      onDone();
    } catch (error) {
      setErrors(failure(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="space-y-4">
      <TextField
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        value={values.password}
        onChange={(event) => setValues({ ...values, password: event.target.value })}
        error={errors.password}
        hint="At least 10 characters."
      />
      <TextField
        label="Repeat new password"
        name="confirm"
        type="password"
        autoComplete="new-password"
        value={values.confirm}
        onChange={(event) => setValues({ ...values, confirm: event.target.value })}
        error={errors.confirm}
      />
      <FormError message={errors.form} />
      <Button type="submit" busy={busy} className="w-full">
        Set new password
      </Button>
    </form>
  );
}

export function ChangePasswordForm({
  onSubmit,
  onDone,
}: {
  onSubmit: (current: string, next: string) => Promise<void>;
  onDone: () => void;
}) {
  const [values, setValues] = useState({ current_password: '', new_password: '', confirm: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = validate(changePasswordInputSchema, {
      current_password: values.current_password,
      new_password: values.new_password,
    });
    const next: FieldErrors = result.ok ? {} : { ...result.errors };
    if (next.current_password) next.current_password = 'Enter your current password';
    if (values.new_password !== values.confirm) next.confirm = 'The passwords do not match';
    if (!result.ok || next.confirm) return setErrors(next);
    setErrors({});
    setBusy(true);
    try {
      await onSubmit(result.data.current_password, result.data.new_password);
      setValues({ current_password: '', new_password: '', confirm: '' });
      onDone();
    } catch (error) {
      setErrors(failure(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="space-y-4">
      <TextField
        label="Current password"
        name="current_password"
        type="password"
        autoComplete="current-password"
        value={values.current_password}
        onChange={(event) => setValues({ ...values, current_password: event.target.value })}
        error={errors.current_password}
      />
      <TextField
        label="New password"
        name="new_password"
        type="password"
        autoComplete="new-password"
        value={values.new_password}
        onChange={(event) => setValues({ ...values, new_password: event.target.value })}
        error={errors.new_password}
        hint="At least 10 characters."
      />
      <TextField
        label="Repeat new password"
        name="confirm"
        type="password"
        autoComplete="new-password"
        value={values.confirm}
        onChange={(event) => setValues({ ...values, confirm: event.target.value })}
        error={errors.confirm}
      />
      <FormError message={errors.form} />
      <Button type="submit" busy={busy}>
        Change password
      </Button>
    </form>
  );
}
