import { capturePaymentInputSchema } from '@expe/contracts';
import type { FormEvent } from 'react';
import { AmountField, Button, FormError } from '../../../components/ui';
import { ApiError } from '../../../lib/api';
import { formatMoney, parseMajorAmount } from '../../../lib/format';
import { useForm, validate, type FieldErrors } from '../../../lib/form';

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
    const minor = amount.trim() ? parseMajorAmount(amount, currency) : undefined;
    const result = validate(
      capturePaymentInputSchema,
      minor === undefined ? {} : { amount_to_capture: minor },
    );
    if (!result.ok)
      return form.setErrors({
        amount_to_capture: 'Enter an amount like 10 or 10.50, or leave it empty',
      });
    if (minor !== undefined && minor > capturable) {
      return form.setErrors({
        amount_to_capture: `At most ${formatMoney(capturable, currency)} can be captured`,
      });
    }
    await form.run(
      async () => {
        await onCapture(minor);
        form.setValues({ amount: '' });
      },
      (error): FieldErrors =>
        error instanceof ApiError && error.param === 'amount_to_capture'
          ? { amount_to_capture: error.message }
          : { form: error instanceof Error ? error.message : 'Capture failed' },
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
