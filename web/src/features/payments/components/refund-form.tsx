import { createRefundInputSchema, type CreateRefundInput } from '@expe/contracts';
import { useState, type FormEvent } from 'react';
import { useConfirm } from '../../../components/confirm-dialog';
import { AmountField, Button, FormError, SelectField } from '../../../components/ui';
import { ApiError } from '../../../lib/api';
import { formatMoney, parseMajorAmount } from '../../../lib/format';
import { paramKey, validate, type FieldErrors } from '../../../lib/form';

/**
 * Full or partial refund; the amount may not exceed what is left to refund. It asks first,
 * naming the amount: an empty amount refunds everything that is left.
 */
export function RefundForm({
  paymentId,
  currency,
  refundable,
  onSubmit,
}: {
  paymentId: string;
  currency: string;
  refundable: number;
  onSubmit: (input: CreateRefundInput) => Promise<unknown>;
}) {
  const [values, setValues] = useState({ amount: '', reason: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const { confirm, dialog } = useConfirm();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const amount = values.amount.trim() ? parseMajorAmount(values.amount, currency) : undefined;
    const result = validate(createRefundInputSchema, {
      payment: paymentId,
      ...(amount === undefined ? {} : { amount }),
      ...(values.reason ? { reason: values.reason } : {}),
    });
    const next: FieldErrors = result.ok ? {} : { ...result.errors };
    if (next.amount)
      next.amount = 'Enter an amount like 10 or 10.50, or leave it empty for a full refund';
    else if (amount !== undefined && amount > refundable)
      next.amount = `At most ${formatMoney(refundable, currency)} can be refunded`;
    if (!result.ok || next.amount) return setErrors(next);
    setErrors({});
    const refunding = formatMoney(amount ?? refundable, currency);
    const confirmed = await confirm({
      title: `Refund ${refunding} of ${paymentId}?`,
      body:
        amount === undefined || amount === refundable
          ? `Everything left on this payment (${refunding}) goes back to the customer.`
          : `${refunding} goes back to the customer; ${formatMoney(refundable - amount, currency)} stays refundable.`,
      confirmLabel: `Refund ${refunding}`,
      cancelLabel: 'Keep the money',
    });
    if (!confirmed) return;
    setBusy(true);
    try {
      await onSubmit(result.data);
      setValues({ amount: '', reason: '' });
    } catch (error) {
      setErrors(
        error instanceof ApiError && error.param
          ? { [paramKey(error.param)]: error.message }
          : { form: error instanceof Error ? error.message : 'Refund failed' },
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <form noValidate onSubmit={(event) => void submit(event)} className="space-y-3">
        <AmountField
          label="Amount"
          unit={currency.toUpperCase()}
          name="refund-amount"
          placeholder={`Full: ${formatMoney(refundable, currency)}`}
          value={values.amount}
          onChange={(event) => setValues({ ...values, amount: event.target.value })}
          error={errors.amount}
          hint="Leave empty to refund everything that is left."
        />
        <SelectField
          label="Reason"
          name="reason"
          value={values.reason}
          onChange={(event) => setValues({ ...values, reason: event.target.value })}
          error={errors.reason}
        >
          <option value="">No reason</option>
          <option value="requested_by_customer">Requested by customer</option>
          <option value="duplicate">Duplicate</option>
          <option value="fraudulent">Fraudulent</option>
        </SelectField>
        <FormError message={errors.form} />
        <Button type="submit" busy={busy}>
          Refund
        </Button>
      </form>
      {dialog}
    </>
  );
}
