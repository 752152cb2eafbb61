import { createPayoutInputSchema, type CreatePayoutInput } from '@expe/contracts';
import type { FormEvent } from 'react';
import { useConfirm } from '../../../components/confirm-dialog';
import { AmountField, Button, FormError, SelectField } from '../../../components/ui';
import { readAmount } from '../../../lib/amount';
import { formatMoney } from '../../../lib/format';
import { apiFieldErrors, useForm, validate } from '../../../lib/form';

/**
 * Pays out of the available balance to a sandbox VPA (success@expe pays, failure@expe fails),
 * after asking with the amount and the VPA named.
 */
export function PayoutForm({
  available,
  currency,
  onSubmit,
}: {
  available: number;
  currency: string;
  onSubmit: (input: CreatePayoutInput) => Promise<unknown>;
}) {
  const form = useForm({ amount: '', vpa: 'success@expe' });
  const { values, errors } = form;
  const { confirm, dialog } = useConfirm();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const amount = readAmount(values.amount, {
      label: 'Payout amount',
      currency,
      max: { amount: available, reason: 'is available' },
    });
    const result = validate(
      createPayoutInputSchema,
      { amount: amount.ok ? amount.amount : undefined, currency, destination: { vpa: values.vpa } },
      { amount },
    );
    if (!result.ok) return form.setErrors(result.errors);
    form.setErrors({});
    const paying = formatMoney(result.data.amount, currency);
    const confirmed = await confirm({
      title: `Pay out ${paying} to ${values.vpa}?`,
      body: `${paying} leaves your available balance now.`,
      confirmLabel: `Pay out ${paying}`,
      tone: 'primary',
    });
    if (!confirmed) return;
    await form.run(
      async () => {
        await onSubmit(result.data);
        form.setValues((current) => ({ ...current, amount: '' }));
      },
      (error) => apiFieldErrors(error, 'Payout failed'),
    );
  };
  return (
    <>
      <form
        noValidate
        onSubmit={(event) => void submit(event)}
        className="grid gap-3 sm:grid-cols-3"
        aria-label="Create payout"
      >
        <AmountField
          label="Payout amount"
          unit={currency.toUpperCase()}
          placeholder={`Up to ${formatMoney(available, currency)}`}
          {...form.field('amount')}
          name="payout-amount"
        />
        <SelectField
          label="Destination VPA"
          {...form.field('vpa')}
          name="payout-vpa"
          error={errors['destination.vpa']}
        >
          <option value="success@expe">success@expe (paid)</option>
          <option value="failure@expe">failure@expe (fails, money returns)</option>
        </SelectField>
        <div className="flex items-end">
          <Button type="submit" busy={form.busy} className="w-full">
            Pay out
          </Button>
        </div>
        <div className="sm:col-span-3">
          <FormError message={errors.form} />
        </div>
      </form>
      {dialog}
    </>
  );
}
