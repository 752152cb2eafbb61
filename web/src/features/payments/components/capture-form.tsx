import { capturePaymentInputSchema } from '@expe/contracts';
import type { FormEvent } from 'react';
import { AmountField, Button, FormError } from '../../../components/ui';
import { readAmount } from '../../../lib/amount';
import { formatMoney } from '../../../lib/format';
import { apiFieldErrors, useForm, validate } from '../../../lib/form';

/**
 * Capture an authorized payment (capture_method manual), all of it or part; what is not
 * captured goes back to the payer. Cancel releases everything.
 */
export function CaptureForm({
  currency,
  capturable,
  onCapture,
  onCancel,
}: {
  currency: string;
  capturable: number;
  onCapture: (amountToCapture: number | undefined) => Promise<unknown>;
  onCancel: () => void;
}) {
  const form = useForm({ amount: '' });
  const { errors, busy } = form;
  const amount = form.values.amount;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const read = readAmount(amount, {
      label: 'Amount to capture',
      currency,
      empty: 'to capture all of it',
      max: { amount: capturable, reason: 'can be captured' },
    });
    const minor = read.ok ? read.amount : undefined;
    const result = validate(
      capturePaymentInputSchema,
      minor === undefined ? {} : { amount_to_capture: minor },
      { amount_to_capture: read },
    );
    if (!result.ok) return form.setErrors(result.errors);
    await form.run(
      async () => {
        await onCapture(minor);
        form.setValues({ amount: '' });
      },
      (error) => apiFieldErrors(error, 'Capture failed'),
    );
  };
  return (
    <form
      noValidate
      onSubmit={(event) => void submit(event)}
      className="space-y-3"
      data-testid="capture-form"
    >
      <p className="text-sm text-slate-600">
        {formatMoney(capturable, currency)} is authorized and held. Capture it within 7 days, or it
        is released to the payer.
      </p>
      <AmountField
        label="Amount to capture"
        unit={currency.toUpperCase()}
        name="amount-to-capture"
        placeholder={`All: ${formatMoney(capturable, currency)}`}
        value={amount}
        error={errors.amount_to_capture}
        onChange={form.set('amount')}
      />
      <FormError message={errors.form} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" busy={busy}>
          Capture
        </Button>
        <Button type="button" variant="secondary" disabled={busy} onClick={onCancel}>
          Cancel and release
        </Button>
      </div>
    </form>
  );
}
