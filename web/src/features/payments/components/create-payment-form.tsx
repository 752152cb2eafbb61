import { createPaymentInputSchema, currencies, type CreatePaymentInput } from '@expe/contracts';
import { AmountField, Button, FormError, SelectField, TextField } from '../../../components/ui';
import { readAmount } from '../../../lib/amount';
import { useForm, validate } from '../../../lib/form';

export function CreatePaymentForm({
  onSubmit,
}: {
  onSubmit: (input: CreatePaymentInput) => Promise<unknown>;
}) {
  const form = useForm({
    amount: '499.00',
    currency: 'inr',
    description: 'Test order',
    customer_email: '',
    return_url: '',
  });
  const { values } = form;
  const check = () => {
    const amount = readAmount(values.amount, { label: 'Amount', currency: values.currency });
    return validate(
      createPaymentInputSchema,
      {
        amount: amount.ok ? amount.amount : undefined,
        currency: values.currency,
        ...(values.description.trim() ? { description: values.description.trim() } : {}),
        ...(values.customer_email.trim() ? { customer_email: values.customer_email } : {}),
        ...(values.return_url.trim() ? { return_url: values.return_url.trim() } : {}),
      },
      { amount },
    );
  };
  const submit = form.handleSubmit(check, onSubmit);
  return (
    <form noValidate onSubmit={submit} className="space-y-4">
      <div className="grid grid-cols-3 gap-3">
        <div className="col-span-2">
          <AmountField label="Amount" {...form.field('amount')} />
        </div>
        <SelectField label="Currency" {...form.field('currency')}>
          {Object.keys(currencies).map((currency) => (
            <option key={currency} value={currency}>
              {currency.toUpperCase()}
            </option>
          ))}
        </SelectField>
      </div>
      <TextField label="Description" {...form.field('description')} />
      <TextField label="Customer email (optional)" type="email" {...form.field('customer_email')} />
      <TextField
        label="Return URL (optional)"
        type="url"
        placeholder="https://shop.example/thanks"
        {...form.field('return_url')}
      />
      <FormError message={form.errors.form} />
      <Button type="submit" busy={form.busy}>
        Create payment
      </Button>
    </form>
  );
}
