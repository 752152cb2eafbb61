import { topupInputSchema, transferInputSchema, type TransferInput } from '@expe/contracts';
import { AmountField, Button, FormError, TextField, VpaField } from '../../../components/ui';
import { ApiError } from '../../../lib/api';
import { readAmount } from '../../../lib/amount';
import { vpaError } from '../../../lib/vpa';
import { apiFieldErrors, useForm, validate, type FieldErrors } from '../../../lib/form';

function apiErrors(error: unknown): FieldErrors {
  if (error instanceof ApiError && error.code === 'insufficient_funds') {
    return { amount: 'Not enough money in your wallet. Top up first.' };
  }
  if (error instanceof ApiError && error.code === 'resource_missing') {
    return { to: 'No Expe user has this VPA or email.' };
  }
  return apiFieldErrors(error);
}

export function TopUpForm({ onSubmit }: { onSubmit: (amount: number) => Promise<unknown> }) {
  const form = useForm({ amount: '' });
  const submit = form.handleSubmit(
    () => {
      const amount = readAmount(form.values.amount, { label: 'Top-up amount' });
      return validate(
        topupInputSchema,
        { amount: amount.ok ? amount.amount : undefined },
        { amount },
      );
    },
    async ({ amount }) => {
      await onSubmit(amount);
      form.setValues({ amount: '' });
    },
    apiErrors,
  );
  return (
    <form noValidate onSubmit={submit} className="space-y-3">
      <AmountField
        label="Top-up amount"
        unit="₹"
        placeholder="500"
        {...form.field('amount')}
        name="topup-amount"
      />
      <FormError message={form.errors.form} />
      <Button type="submit" busy={form.busy} className="w-full">
        Add money
      </Button>
    </form>
  );
}

export function SendMoneyForm({
  onSubmit,
}: {
  onSubmit: (input: TransferInput) => Promise<unknown>;
}) {
  const form = useForm({ to: '', amount: '', note: '' });
  const { values } = form;
  const check = () => {
    const amount = readAmount(values.amount, { label: 'Amount' });
    const result = validate(
      transferInputSchema,
      {
        to: values.to,
        amount: amount.ok ? amount.amount : undefined,
        ...(values.note.trim() ? { note: values.note } : {}),
      },
      { amount },
    );
    return result.ok || !result.errors.to
      ? result
      : { ...result, errors: { ...result.errors, to: vpaError(values.to, { orEmail: true }) } };
  };
  const submit = form.handleSubmit(
    check,
    async (input) => {
      await onSubmit(input);
      form.setValues({ to: '', amount: '', note: '' });
    },
    apiErrors,
  );
  return (
    <form noValidate onSubmit={submit} className="space-y-3">
      <VpaField label="To (VPA or email)" placeholder="asha@expe" {...form.field('to')} />
      <AmountField
        label="Amount"
        unit="₹"
        placeholder="100"
        {...form.field('amount')}
        name="send-amount"
      />
      <TextField label="Note (optional)" maxLength={140} {...form.field('note')} />
      <FormError message={form.errors.form} />
      <Button type="submit" busy={form.busy} className="w-full">
        Send money
      </Button>
    </form>
  );
}
