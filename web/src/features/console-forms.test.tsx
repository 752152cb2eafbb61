import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiKeyForm } from './merchants/components/api-key-form';
import { NameForm } from './merchants/components/name-form';
import { CreatePaymentForm } from './payments/components/create-payment-form';
import { RefundForm } from './payments/components/refund-form';
import { EndpointForm } from './webhooks/components/endpoint-form';

describe('developer console forms', () => {
  it('when a project name is blank, then it is refused', async () => {
    const onSubmit = vi.fn();
    render(<NameForm label="New project name" submitLabel="Create" onSubmit={onSubmit} />);

    await userEvent.type(screen.getByLabelText('New project name'), '   ');
    await userEvent.click(screen.getByRole('button', { name: 'Create' }));

    expect(screen.getByText('must not be empty')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('when a key has a name, then it is created in the chosen mode', async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    render(<ApiKeyForm mode="test" onSubmit={onSubmit} />);

    await userEvent.type(screen.getByLabelText('Key name'), 'Backend');
    await userEvent.selectOptions(screen.getByLabelText('Mode'), 'live');
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }));

    expect(onSubmit).toHaveBeenCalledWith({ name: 'Backend', mode: 'live' });
  });

  it('when a webhook URL is not http(s), then it is refused', async () => {
    const onSubmit = vi.fn();
    render(<EndpointForm submitLabel="Add endpoint" onSubmit={onSubmit} />);

    await userEvent.type(screen.getByLabelText('Endpoint URL'), 'javascript:alert(1)');
    await userEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));

    expect(screen.getByText('must be an absolute http:// or https:// URL')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('when "every event" is unticked and nothing chosen, then it asks for an event type', async () => {
    const onSubmit = vi.fn();
    render(<EndpointForm submitLabel="Add endpoint" onSubmit={onSubmit} />);

    await userEvent.type(screen.getByLabelText('Endpoint URL'), 'http://127.0.0.1:9999/hook');
    await userEvent.click(screen.getByLabelText(/Every event/));
    await userEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));

    expect(screen.getByText('must name at least one event type, or "*"')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();

    await userEvent.click(screen.getByLabelText('payment.succeeded'));
    await userEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
    expect(onSubmit).toHaveBeenCalledWith({
      url: 'http://127.0.0.1:9999/hook',
      enabled_events: ['payment.succeeded'],
      // The contract's default: deliveries in Expe's own shape (not the Stripe-compatible one).
      format: 'expe',
    });
  });

  it('when a payment amount is zero or the return URL is not http(s), then nothing is created', async () => {
    const onSubmit = vi.fn();
    render(<CreatePaymentForm onSubmit={onSubmit} />);

    await userEvent.clear(screen.getByLabelText('Amount'));
    await userEvent.type(screen.getByLabelText('Amount'), '0');
    await userEvent.type(screen.getByLabelText('Return URL (optional)'), 'data:text/html,hi');
    await userEvent.click(screen.getByRole('button', { name: 'Create payment' }));

    expect(screen.getByText('The amount must be more than 0')).toBeTruthy();
    expect(screen.getByText('must be an absolute http:// or https:// URL')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('when a refund exceeds what is left, then it is refused; a partial one is sent in minor units', async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    render(
      <RefundForm
        paymentId="pay_01kb3v4y7m9q2x8c5d6e7f8g9h"
        currency="inr"
        refundable={10000}
        onSubmit={onSubmit}
      />,
    );

    await userEvent.type(screen.getByLabelText('Amount (INR)'), '100.01');
    await userEvent.click(screen.getByRole('button', { name: 'Refund' }));
    expect(screen.getByText('At most ₹100.00 can be refunded')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();

    await userEvent.clear(screen.getByLabelText('Amount (INR)'));
    await userEvent.type(screen.getByLabelText('Amount (INR)'), '25');
    await userEvent.selectOptions(screen.getByLabelText('Reason'), 'requested_by_customer');
    await userEvent.click(screen.getByRole('button', { name: 'Refund' }));
    // Nothing is sent until the question naming the amount is answered.
    expect(
      screen.getByRole('heading', { name: 'Refund ₹25.00 of pay_01kb3v4y7m9q2x8c5d6e7f8g9h?' }),
    ).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Refund ₹25.00' }));
    expect(onSubmit).toHaveBeenCalledWith({
      payment: 'pay_01kb3v4y7m9q2x8c5d6e7f8g9h',
      amount: 2500,
      reason: 'requested_by_customer',
    });
  });
});
