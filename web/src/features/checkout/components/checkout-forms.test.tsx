import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CardForm, parseExpiry } from './card-form';
import { UpiForm } from './upi-form';

describe('CardForm', () => {
  it('when number, expiry and CVC are malformed, then each is flagged and nothing is charged', async () => {
    const onSubmit = vi.fn();
    render(<CardForm payLabel="Pay" onSubmit={onSubmit} />);

    await userEvent.type(screen.getByLabelText('Card number'), '4242 42');
    await userEvent.type(screen.getByLabelText('Expiry (MM/YY)'), '13/30');
    await userEvent.type(screen.getByLabelText('CVC'), '12');
    await userEvent.click(screen.getByRole('button', { name: 'Pay' }));

    expect(await screen.findByText('Enter the 12–19 digit card number')).toBeTruthy();
    expect(screen.getByText('Enter the expiry as MM/YY')).toBeTruthy();
    expect(screen.getByText('Enter the 3 or 4 digit security code')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('when the card has expired, then it is refused', async () => {
    const onSubmit = vi.fn();
    render(<CardForm payLabel="Pay" onSubmit={onSubmit} />);

    await userEvent.type(screen.getByLabelText('Card number'), '4242424242424242');
    await userEvent.type(screen.getByLabelText('Expiry (MM/YY)'), '01/20');
    await userEvent.type(screen.getByLabelText('CVC'), '123');
    await userEvent.click(screen.getByRole('button', { name: 'Pay' }));

    expect(await screen.findByText('This card has expired')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('when a listed test card is picked, then the form is filled and pays with the digits only', async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    render(<CardForm payLabel="Pay" onSubmit={onSubmit} />);

    await userEvent.click(screen.getByRole('button', { name: /4000000000000002/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Pay' }));

    // The schemas load on demand (the checkout's size budget): the submit waits for them.
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(onSubmit).toHaveBeenCalledWith({
      number: '4000000000000002',
      exp_month: 12,
      exp_year: 2030,
      cvc: '123',
    });
  });

  it('parses MM/YY and MM/YYYY expiries', () => {
    expect(parseExpiry('7/31')).toEqual({ exp_month: 7, exp_year: 2031 });
    expect(parseExpiry('07 / 2031')).toEqual({ exp_month: 7, exp_year: 2031 });
    expect(Number.isNaN(parseExpiry('0731').exp_month)).toBe(true);
  });
});

describe('UpiForm', () => {
  it('when the VPA has no handle, then it is refused', async () => {
    const onSubmit = vi.fn();
    render(<UpiForm payLabel="Pay" onSubmit={onSubmit} />);

    await userEvent.type(screen.getByLabelText('UPI address (VPA)'), 'success');
    await userEvent.click(screen.getByRole('button', { name: 'Pay' }));

    expect(await screen.findByText('Enter a UPI address such as name@bank')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('when a sandbox VPA is picked, then it is sent normalised', async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    render(<UpiForm payLabel="Pay" onSubmit={onSubmit} />);

    await userEvent.click(screen.getByRole('button', { name: /pending@expe/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Pay' }));

    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(onSubmit).toHaveBeenCalledWith('pending@expe');
  });
});
