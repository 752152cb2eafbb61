import { topupInputSchema, transferInputSchema, type TransferInput } from '@expe/contracts';
import { useState, type FormEvent } from 'react';
import { AmountField, Button, FormError, TextField } from '../../../components/ui';
import { ApiError } from '../../../lib/api';
import { parseMajorAmount } from '../../../lib/format';
import { paramKey, validate, type FieldErrors } from '../../../lib/form';

function apiErrors(error: unknown): FieldErrors {
  if (error instanceof ApiError && error.code === 'insufficient_funds') {
    return { amount: 'Not enough money in your wallet. Top up first.' };
  }
  if (error instanceof ApiError && error.code === 'resource_missing') {
    return { to: 'No Expe user has this VPA or email.' };
  }
  if (error instanceof ApiError && error.param) return { [paramKey(error.param)]: error.message };
  return { form: error instanceof Error ? error.message : 'That did not work' };
}

function amountError(errors: FieldErrors, text: string): FieldErrors {
  if (!errors.amount) return errors;
  return {
    ...errors,
    amount: text.trim() ? 'Enter an amount in rupees, like 250 or 99.50' : 'Enter an amount',
  };
}

export function TopUpForm({ onSubmit }: { onSubmit: (amount: number) => Promise<unknown> }) {
  const [amount, setAmount] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = validate(topupInputSchema, { amount: parseMajorAmount(amount) });
    if (!result.ok) return setErrors(amountError(result.errors, amount));
    setErrors({});
    setBusy(true);
    try {
      await onSubmit(result.data.amount);
      setAmount('');
    } catch (error) {
      setErrors(apiErrors(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="space-y-3">
      <AmountField
        label="Top-up amount"
        unit="₹"
        name="topup-amount"
        placeholder="500"
        value={amount}
        onChange={(event) => setAmount(event.target.value)}
        error={errors.amount}
      />
      <FormError message={errors.form} />
      <Button type="submit" busy={busy} className="w-full">
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
  const [values, setValues] = useState({ to: '', amount: '', note: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = validate(transferInputSchema, {
      to: values.to,
      amount: parseMajorAmount(values.amount),
      ...(values.note.trim() ? { note: values.note } : {}),
    });
    if (!result.ok) return setErrors(amountError(result.errors, values.amount));
    setErrors({});
    setBusy(true);
    try {
      await onSubmit(result.data);
      setValues({ to: '', amount: '', note: '' });
    } catch (error) {
      setErrors(apiErrors(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="space-y-3">
      <TextField
        label="To (VPA or email)"
        name="to"
        placeholder="asha@expe"
        autoComplete="off"
        value={values.to}
        onChange={(event) => setValues({ ...values, to: event.target.value })}
        error={errors.to}
      />
      <AmountField
        label="Amount"
        unit="₹"
        name="send-amount"
        placeholder="100"
        value={values.amount}
        onChange={(event) => setValues({ ...values, amount: event.target.value })}
        error={errors.amount}
      />
      <TextField
        label="Note (optional)"
        name="note"
        maxLength={140}
        value={values.note}
        onChange={(event) => setValues({ ...values, note: event.target.value })}
        error={errors.note}
      />
      <FormError message={errors.form} />
      <Button type="submit" busy={busy} className="w-full">
        Send money
      </Button>
    </form>
  );
}
