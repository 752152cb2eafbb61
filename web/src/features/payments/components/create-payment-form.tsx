import { createPaymentInputSchema, currencies, type CreatePaymentInput } from '@expe/contracts';
import { useState, type FormEvent } from 'react';
import { Button, FormError, SelectField, TextField } from '../../../components/ui';
import { ApiError } from '../../../lib/api';
import { parseMajorAmount } from '../../../lib/format';
import { paramKey, validate, type FieldErrors } from '../../../lib/form';

export function CreatePaymentForm({
  onSubmit,
}: {
  onSubmit: (input: CreatePaymentInput) => Promise<unknown>;
}) {
  const [values, setValues] = useState({
    amount: '499.00',
    currency: 'inr',
    description: 'Test order',
    customer_email: '',
    return_url: '',
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const set = (name: keyof typeof values) => (event: { target: { value: string } }) =>
    setValues({ ...values, [name]: event.target.value });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = validate(createPaymentInputSchema, {
      amount: parseMajorAmount(values.amount, values.currency),
      currency: values.currency,
      ...(values.description.trim() ? { description: values.description.trim() } : {}),
      ...(values.customer_email.trim() ? { customer_email: values.customer_email } : {}),
      ...(values.return_url.trim() ? { return_url: values.return_url.trim() } : {}),
    });
    if (!result.ok) {
      return setErrors(
        result.errors.amount
          ? { ...result.errors, amount: 'Enter an amount greater than 0, like 499 or 499.50' }
          : result.errors,
      );
    }
    setErrors({});
    setBusy(true);
    try {
      await onSubmit(result.data);
    } catch (error) {
      setErrors(
        error instanceof ApiError && error.param
          ? { [paramKey(error.param)]: error.message }
          : { form: error instanceof Error ? error.message : 'That did not work' },
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="space-y-4">
      <div className="grid grid-cols-3 gap-3">
        <div className="col-span-2">
          <TextField
            label="Amount"
            name="amount"
            inputMode="decimal"
            value={values.amount}
            onChange={set('amount')}
            error={errors.amount}
          />
        </div>
        <SelectField
          label="Currency"
          name="currency"
          value={values.currency}
          onChange={set('currency')}
          error={errors.currency}
        >
          {Object.keys(currencies).map((currency) => (
            <option key={currency} value={currency}>
              {currency.toUpperCase()}
            </option>
          ))}
        </SelectField>
      </div>
      <TextField
        label="Description"
        name="description"
        value={values.description}
        onChange={set('description')}
        error={errors.description}
      />
      <TextField
        label="Customer email (optional)"
        name="customer_email"
        type="email"
        value={values.customer_email}
        onChange={set('customer_email')}
        error={errors.customer_email}
      />
      <TextField
        label="Return URL (optional)"
        name="return_url"
        type="url"
        placeholder="https://shop.example/thanks"
        value={values.return_url}
        onChange={set('return_url')}
        error={errors.return_url}
      />
      <FormError message={errors.form} />
      <Button type="submit" busy={busy}>
        Create payment
      </Button>
    </form>
  );
}
