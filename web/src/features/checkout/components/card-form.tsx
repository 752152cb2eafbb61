import { useEffect } from 'react';
import { Button, TextField } from '../../../components/ui';
import { useForm, validate, type Checked, type FieldErrors } from '../../../lib/form';
import { loadCheckoutSchemas } from '../load-schemas';
import { formatCardNumber, sandboxCards } from '../../payments';

export interface CardDetails {
  number: string;
  exp_month: number;
  exp_year: number;
  cvc: string;
}

/** "MM/YY" or "MM/YYYY" → month and four-digit year; NaN parts fail the contract's checks. */
export function parseExpiry(text: string): { exp_month: number; exp_year: number } {
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(text);
  if (!match) return { exp_month: Number.NaN, exp_year: Number.NaN };
  const year = Number(match[2]);
  return { exp_month: Number(match[1]), exp_year: year < 100 ? 2000 + year : year };
}

export function CardForm({
  payLabel,
  onSubmit,
}: {
  payLabel: string;
  onSubmit: (card: CardDetails) => Promise<unknown>;
}) {
  const form = useForm({ number: '', expiry: '', cvc: '' });
  const { values } = form;
  useEffect(() => void loadCheckoutSchemas(), []);
  const check = async (): Promise<Checked<CardDetails>> => {
    const expiry = parseExpiry(values.expiry);
    const { cardInputSchema } = await loadCheckoutSchemas();
    const result = validate(cardInputSchema, { number: values.number, cvc: values.cvc, ...expiry });
    const next: FieldErrors = result.ok ? {} : { ...result.errors };
    if (next.number) next.number = 'Enter the 12–19 digit card number';
    if (next.exp_month || next.exp_year) next.expiry = 'Enter the expiry as MM/YY';
    else if (result.ok) {
      const now = new Date();
      if (
        expiry.exp_year < now.getFullYear() ||
        (expiry.exp_year === now.getFullYear() && expiry.exp_month < now.getMonth() + 1)
      ) {
        next.expiry = 'This card has expired';
      }
    }
    if (next.cvc) next.cvc = 'Enter the 3 or 4 digit security code';
    return !result.ok || next.expiry ? { ok: false, errors: next } : result;
  };
  const submit = form.handleSubmit(check, onSubmit);
  return (
    <form noValidate onSubmit={submit} className="space-y-4">
      <TextField
        label="Card number"
        autoComplete="cc-number"
        inputMode="numeric"
        placeholder="4242 4242 4242 4242"
        {...form.field('number')}
        name="cardnumber"
      />
      <div className="grid grid-cols-2 gap-3">
        <TextField
          label="Expiry (MM/YY)"
          autoComplete="cc-exp"
          inputMode="numeric"
          placeholder="12/30"
          {...form.field('expiry')}
          name="exp-date"
        />
        <TextField
          label="CVC"
          autoComplete="cc-csc"
          inputMode="numeric"
          placeholder="123"
          {...form.field('cvc')}
        />
      </div>
      <Button type="submit" busy={form.busy} className="w-full py-2.5">
        {payLabel}
      </Button>
      <div className="rounded-lg bg-slate-50 p-3 ring-1 ring-slate-200">
        <p className="mb-2 text-xs font-medium uppercase tracking-wide text-slate-500">
          Sandbox test cards (any future expiry, any CVC)
        </p>
        <ul className="space-y-1">
          {sandboxCards.map((card) => (
            <li
              key={card.number}
              className="flex flex-wrap items-center justify-between gap-2 text-sm"
            >
              <button
                type="button"
                className="font-mono text-brand-700 hover:underline"
                onClick={() =>
                  form.setValues({
                    number: formatCardNumber(card.number),
                    expiry: values.expiry || '12/30',
                    cvc: values.cvc || '123',
                  })
                }
              >
                {formatCardNumber(card.number)}
                {/* The name starts with what is shown (WCAG 2.5.3), then says what it does. */}
                <span className="sr-only">
                  {' '}
                  — use test card {card.number}: {card.outcome}
                </span>
              </button>
              <span className="text-xs text-slate-500">{card.outcome}</span>
            </li>
          ))}
        </ul>
      </div>
    </form>
  );
}
