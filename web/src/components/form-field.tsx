import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';

/**
 * A label, one control, and its hint or error: the control gets the id the label points at,
 * `aria-invalid` when there is an error, and `aria-describedby` naming the error or the hint.
 */
export function FormField({
  label,
  error,
  hint,
  children,
}: {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  children: (props: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby'?: string;
  }) => ReactNode;
}) {
  const id = useId();
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children({
        id,
        'aria-invalid': Boolean(error),
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      })}
      {error ? (
        <p id={`${id}-error`} className="text-sm text-rose-600" role="alert">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

const inputClass =
  'block w-full rounded-lg border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-brand-600 aria-[invalid=true]:ring-rose-500';

export function TextField({
  label,
  error,
  hint,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
}) {
  return (
    <FormField label={label} error={error} hint={hint}>
      {(a11y) => <input {...props} {...a11y} className={inputClass} />}
    </FormField>
  );
}

export function SelectField({
  label,
  error,
  children,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { label: string; error?: string | undefined }) {
  return (
    <FormField label={label} error={error}>
      {(a11y) => (
        <select {...props} {...a11y} className={inputClass}>
          {children}
        </select>
      )}
    </FormField>
  );
}

/**
 * A list's filter: a select whose first choice (`any`: "Any status", "Every type") is the empty
 * value, filtering nothing, then one choice per value, shown with underscores as spaces unless
 * `optionLabel` says otherwise.
 */
export function FilterField({
  label,
  name,
  value,
  onChange,
  any,
  options,
  optionLabel = (option) => option.replace(/_/g, ' '),
}: {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  any: string;
  options: readonly string[];
  optionLabel?: (option: string) => string;
}) {
  return (
    <SelectField
      label={label}
      name={name}
      value={value}
      onChange={(event) => onChange(event.target.value)}
    >
      <option value="">{any}</option>
      {options.map((option) => (
        <option key={option} value={option}>
          {optionLabel(option)}
        </option>
      ))}
    </SelectField>
  );
}

/**
 * An amount in major units ("10" or "10.50"), as a person types it: the label names its unit (a
 * currency code such as INR, or ₹) unless a currency field beside it does, and the phone shows a
 * number pad. The form reads the text with `readAmount` (lib/amount.ts), which gives integer
 * minor units or the message, naming this label, that the field shows. Every amount a form asks
 * for is this field.
 */
export function AmountField({
  label,
  unit,
  ...props
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'inputMode' | 'type'> & {
  label: string;
  /** Omitted when the form's own currency field names the unit. */
  unit?: string;
  error?: string | undefined;
  hint?: ReactNode;
}) {
  return (
    <TextField
      label={unit ? `${label} (${unit})` : label}
      inputMode="decimal"
      autoComplete="off"
      {...props}
    />
  );
}

/**
 * A UPI address (`name@bank`), or where the form says so an email instead: typed as written
 * (no capital letter, spelling fix or autofill added by the browser or the phone's keyboard),
 * with the keyboard that has "@". The form checks it with the contract's `vpaSchema` and words a
 * refusal with `vpaError` (lib/vpa.ts). Every VPA a form asks for is this field.
 */
export function VpaField({
  label = 'UPI address (VPA)',
  ...props
}: Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'inputMode' | 'type' | 'autoCapitalize' | 'spellCheck'
> & {
  label?: string;
  error?: string | undefined;
  hint?: ReactNode;
}) {
  return (
    <TextField
      label={label}
      inputMode="email"
      autoCapitalize="none"
      autoCorrect="off"
      spellCheck={false}
      autoComplete="off"
      {...props}
    />
  );
}
