import { createRefundInputSchema, type CreateRefundInput } from '@expe/contracts';
import type { FormEvent } from 'react';
import { useConfirm } from '../../../components/confirm-dialog';
import { AmountField, Button, FormError, SelectField } from '../../../components/ui';
import { readAmount } from '../../../lib/amount';
import { formatMoney } from '../../../lib/format';
import { apiFieldErrors, useForm, validate } from '../../../lib/form';

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
  const form = useForm({ amount: '', reason: '' });
  const { values, errors } = form;
  const { confirm, dialog } = useConfirm();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const read = readAmount(values.amount, {
      label: 'Amount',
      currency,
      empty: 'for a full refund',
      max: { amount: refundable, reason: 'can be refunded' },
    });
    const amount = read.ok ? read.amount : undefined;
    const result = validate(
      createRefundInputSchema,
      {
        payment: paymentId,
        ...(amount === undefined ? {} : { amount }),
        ...(values.reason ? { reason: values.reason } : {}),
      },
      { amount: read },
    );
    if (!result.ok) return form.setErrors(result.errors);
    form.setErrors({});
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
    await form.run(
      async () => {
        await onSubmit(result.data);
        form.setValues({ amount: '', reason: '' });
      },
      (error) => apiFieldErrors(error, 'Refund failed'),
    );
  };
  return (
    <>
      <form noValidate onSubmit={(event) => void submit(event)} className="space-y-3">
        <AmountField
          label="Amount"
          unit={currency.toUpperCase()}
          placeholder={`Full: ${formatMoney(refundable, currency)}`}
          {...form.field('amount')}
          name="refund-amount"
          hint="Leave empty to refund everything that is left."
        />
        <SelectField label="Reason" {...form.field('reason')}>
          <option value="">No reason</option>
          <option value="requested_by_customer">Requested by customer</option>
          <option value="duplicate">Duplicate</option>
          <option value="fraudulent">Fraudulent</option>
        </SelectField>
        <FormError message={errors.form} />
        <Button type="submit" busy={form.busy}>
          Refund
        </Button>
      </form>
      {dialog}
    </>
  );
}
