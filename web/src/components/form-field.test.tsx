import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { AmountField, FilterField, VpaField } from './form-field';

const src = join(import.meta.dirname, '..');

/** Every .tsx file of the app but tests and the field components themselves. */
function appSources(dir = src): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return appSources(path);
    return entry.name.endsWith('.tsx') && !entry.name.includes('.test.') ? [path] : [];
  });
}

describe('AmountField and VpaField', () => {
  it('when a form asks for an amount or a UPI address, then it is one of the two fields', () => {
    const handWritten = appSources()
      .filter((path) => !path.endsWith('components/form-field.tsx'))
      .flatMap((path) =>
        [...readFileSync(path, 'utf8').matchAll(/<(TextField|input)\b[^>]*?>/g)]
          .filter(
            ([tag]) =>
              /inputMode="decimal"|label="[^"]*(amount|vpa|upi)[^"]*"/i.test(tag) ||
              /name="[^"]*(amount|vpa)[^"]*"/i.test(tag),
          )
          .map(([tag]) => `${relative(src, path)}: ${tag.slice(0, 60)}`),
      );
    expect(handWritten).toEqual([]);
  });

  it('when a form reads an amount, then it is through readAmount, the one parser of typed money', () => {
    const parsing = appSources()
      .concat(join(src, 'lib/amount.ts'))
      .filter((path) => /parseMajorAmount\(|\/ 100\)\.toFixed/.test(readFileSync(path, 'utf8')))
      .map((path) => relative(src, path));
    expect(parsing).toEqual(['lib/amount.ts']);
  });

  it('when an amount is asked, then the label names its unit and phones show a number pad', () => {
    render(<AmountField label="Refund" unit="INR" name="amount" />);
    const input = screen.getByLabelText('Refund (INR)');
    expect(input.getAttribute('inputmode')).toBe('decimal');
    expect(input.getAttribute('autocomplete')).toBe('off');
  });

  it('when a UPI address is asked, then it is taken as typed, on a keyboard with "@"', () => {
    render(<VpaField name="vpa" error="Enter your UPI address" />);
    const input = screen.getByLabelText('UPI address (VPA)');
    expect(input.getAttribute('inputmode')).toBe('email');
    expect(input.getAttribute('autocapitalize')).toBe('none');
    expect(input.getAttribute('spellcheck')).toBe('false');
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });
});

describe('FilterField', () => {
  it('when a list is filtered, then the first choice filters nothing and each other names its value', async () => {
    const onChange = vi.fn();
    render(
      <FilterField
        label="Status"
        name="status"
        value=""
        onChange={onChange}
        any="Any status"
        options={['needs_response', 'won']}
      />,
    );
    const select = screen.getByLabelText<HTMLSelectElement>('Status');
    expect([...select.options].map((option) => [option.value, option.text])).toEqual([
      ['', 'Any status'],
      ['needs_response', 'needs response'],
      ['won', 'won'],
    ]);

    await userEvent.selectOptions(select, 'needs_response');

    expect(onChange).toHaveBeenCalledWith('needs_response');
  });
});
