import {
  changePasswordInputSchema,
  passwordResetConfirmInputSchema,
  passwordResetRequestInputSchema,
} from '@expe/contracts';
import { Button, FormError, TextField } from '../../../components/ui';
import { ApiError } from '../../../lib/api';
import { useForm, validate, type FieldErrors, type FieldReading } from '../../../lib/form';

function failure(error: unknown): FieldErrors {
  if (error instanceof ApiError && error.code === 'invalid_credentials') {
    return { current_password: 'The current password is wrong.' };
  }
  if (error instanceof ApiError && error.code === 'token_invalid') {
    return { form: 'This link is invalid or has expired. Ask for a new one.' };
  }
  return { form: error instanceof Error ? error.message : 'That did not work' };
}

/** The repetition of a new password, read beside the contract's check of the password. */
function repeated(password: string, confirm: string): FieldReading {
  return password === confirm ? { ok: true } : { ok: false, error: 'The passwords do not match' };
}

type Bound = ReturnType<ReturnType<typeof useForm>['field']>;

/** A new password and its repetition, as the reset and change forms both ask for them. */
function NewPasswordFields({ password, confirm }: { password: Bound; confirm: Bound }) {
  return (
    <>
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        hint="At least 10 characters."
        {...password}
      />
      <TextField
        label="Repeat new password"
        type="password"
        autoComplete="new-password"
        {...confirm}
      />
    </>
  );
}

export function ForgotPasswordForm({
  onSubmit,
  onDone,
}: {
  onSubmit: (email: string) => Promise<void>;
  onDone: (email: string) => void;
}) {
  const form = useForm({ email: '' });
  const submit = form.handleSubmit(
    () => validate(passwordResetRequestInputSchema, form.values),
    async ({ email }) => {
      await onSubmit(email);
      onDone(email);
    },
    failure,
  );
  return (
    <form noValidate onSubmit={submit} className="space-y-4">
      <TextField label="Email" type="email" autoComplete="email" {...form.field('email')} />
      <FormError message={form.errors.form} />
      <Button type="submit" busy={form.busy} className="w-full">
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
  const form = useForm({ password: '', confirm: '' });
  const { values } = form;
  const submit = form.handleSubmit(
    () => {
      const result = validate(
        passwordResetConfirmInputSchema,
        { token, password: values.password },
        { confirm: repeated(values.password, values.confirm) },
      );
      if (result.ok || !result.errors.token) return result;
      const incomplete = 'This reset link is incomplete. Open the link from the mail again.';
      return { ok: false, errors: { ...result.errors, form: incomplete } };
    },
    async (input) => {
      await onSubmit(input.token, input.password);
      onDone();
    },
    failure,
  );
  return (
    <form noValidate onSubmit={submit} className="space-y-4">
      <NewPasswordFields password={form.field('password')} confirm={form.field('confirm')} />
      <FormError message={form.errors.form} />
      <Button type="submit" busy={form.busy} className="w-full">
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
  const form = useForm({ current_password: '', new_password: '', confirm: '' });
  const { values } = form;
  const submit = form.handleSubmit(
    () => {
      const result = validate(
        changePasswordInputSchema,
        { current_password: values.current_password, new_password: values.new_password },
        { confirm: repeated(values.new_password, values.confirm) },
      );
      if (result.ok || !result.errors.current_password) return result;
      const current_password = 'Enter your current password';
      return { ok: false, errors: { ...result.errors, current_password } };
    },
    async (input) => {
      await onSubmit(input.current_password, input.new_password);
      form.setValues({ current_password: '', new_password: '', confirm: '' });
      onDone();
    },
    failure,
  );
  return (
    <form noValidate onSubmit={submit} className="space-y-4">
      <TextField
        label="Current password"
        type="password"
        autoComplete="current-password"
        {...form.field('current_password')}
      />
      <NewPasswordFields password={form.field('new_password')} confirm={form.field('confirm')} />
      <FormError message={form.errors.form} />
      <Button type="submit" busy={form.busy}>
        Change password
      </Button>
    </form>
  );
}
