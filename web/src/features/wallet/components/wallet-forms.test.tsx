import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../lib/api';
import { SendMoneyForm, TopUpForm } from './wallet-forms';

describe('TopUpForm', () => {
  it.each(['abc', '0', '1.234', '-5'])(
    'when the amount is %j, then it is refused and nothing is sent',
    async (amount) => {
      const onSubmit = vi.fn();
      render(<TopUpForm onSubmit={onSubmit} />);

      await userEvent.type(screen.getByLabelText('Top-up amount (₹)'), amount);
      await userEvent.click(screen.getByRole('button', { name: 'Add money' }));

      expect(screen.getByLabelText('Top-up amount (₹)').getAttribute('aria-invalid')).toBe('true');
      expect(onSubmit).not.toHaveBeenCalled();
    },
  );

  it('when the amount is in rupees and paise, then paise are sent as an integer', async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    render(<TopUpForm onSubmit={onSubmit} />);

    await userEvent.type(screen.getByLabelText('Top-up amount (₹)'), '1,250.50');
    await userEvent.click(screen.getByRole('button', { name: 'Add money' }));

    expect(onSubmit).toHaveBeenCalledWith(125050);
  });
});

describe('SendMoneyForm', () => {
  it('when the recipient is neither a VPA nor an email, then the field says so', async () => {
    const onSubmit = vi.fn();
    render(<SendMoneyForm onSubmit={onSubmit} />);

    await userEvent.type(screen.getByLabelText('To (VPA or email)'), 'just a name');
    await userEvent.type(screen.getByLabelText('Amount (₹)'), '10');
    await userEvent.click(screen.getByRole('button', { name: 'Send money' }));

    expect(screen.getByLabelText('To (VPA or email)').getAttribute('aria-invalid')).toBe('true');
    expect(
      screen.getByText('Enter a UPI address such as name@bank, or an email address'),
    ).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('when valid, then the VPA, the amount in paise and the note are sent', async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    render(<SendMoneyForm onSubmit={onSubmit} />);

    await userEvent.type(screen.getByLabelText('To (VPA or email)'), 'Ravi@Expe');
    await userEvent.type(screen.getByLabelText('Amount (₹)'), '75');
    await userEvent.type(screen.getByLabelText('Note (optional)'), 'lunch');
    await userEvent.click(screen.getByRole('button', { name: 'Send money' }));

    expect(onSubmit).toHaveBeenCalledWith({ to: 'ravi@expe', amount: 7500, note: 'lunch' });
  });

  it('when the wallet cannot cover it, then the amount field explains', async () => {
    const onSubmit = vi.fn().mockRejectedValue(new ApiError(402, 'insufficient_funds', 'no money'));
    render(<SendMoneyForm onSubmit={onSubmit} />);

    await userEvent.type(screen.getByLabelText('To (VPA or email)'), 'ravi@expe');
    await userEvent.type(screen.getByLabelText('Amount (₹)'), '75');
    await userEvent.click(screen.getByRole('button', { name: 'Send money' }));

    expect(await screen.findByText('Not enough money in your wallet. Top up first.')).toBeTruthy();
  });
});
