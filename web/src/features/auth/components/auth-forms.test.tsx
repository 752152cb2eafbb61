import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { SessionResource } from '@expe/contracts';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../lib/api';
import { ChangePasswordForm, ForgotPasswordForm, ResetPasswordForm } from './password-forms';
import { SignInForm } from './sign-in-form';
import { SignUpForm } from './sign-up-form';

const session = { access_token: 'a', user: { role: 'user' } } as unknown as SessionResource;

describe('SignUpForm', () => {
  it('when submitted empty, then every field says what is wrong and nothing is sent', async () => {
    const onSubmit = vi.fn();
    render(<SignUpForm onSubmit={onSubmit} onDone={vi.fn()} />);

    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

    expect(screen.getByLabelText('Your name').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('must be a valid email address')).toBeTruthy();
    expect(screen.getByText('must be at least 10 characters')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('when the password is too short, then the contract rule is shown beside it', async () => {
    const onSubmit = vi.fn();
    render(<SignUpForm onSubmit={onSubmit} onDone={vi.fn()} />);

    await userEvent.type(screen.getByLabelText('Your name'), 'Asha');
    await userEvent.type(screen.getByLabelText('Email'), 'asha@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'short');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

    const password = screen.getByLabelText('Password');
    expect(password.getAttribute('aria-invalid')).toBe('true');
    expect(
      document.getElementById(password.getAttribute('aria-describedby') ?? '')?.textContent,
    ).toBe('must be at least 10 characters');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('when valid, then it sends the parsed input with the chosen role and a lower-cased email', async () => {
    const onSubmit = vi.fn().mockResolvedValue(session);
    const onDone = vi.fn();
    render(<SignUpForm onSubmit={onSubmit} onDone={onDone} />);

    await userEvent.click(screen.getByText('Accept payments'));
    await userEvent.type(screen.getByLabelText('Business name'), '  Asha Stores ');
    await userEvent.type(screen.getByLabelText('Email'), 'Asha@Example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse battery');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

    expect(onSubmit).toHaveBeenCalledWith({
      name: 'Asha Stores',
      email: 'asha@example.com',
      password: 'correct horse battery',
      role: 'merchant',
    });
    expect(onDone).toHaveBeenCalledWith(session);
  });

  it('when the API says the email is taken, then the email field says so', async () => {
    const onSubmit = vi.fn().mockRejectedValue(new ApiError(409, 'email_taken', 'taken'));
    render(<SignUpForm onSubmit={onSubmit} onDone={vi.fn()} />);

    await userEvent.type(screen.getByLabelText('Your name'), 'Asha');
    await userEvent.type(screen.getByLabelText('Email'), 'asha@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse battery');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByText(/already exists/)).toBeTruthy();
  });
});

describe('SignInForm', () => {
  it('when the email is malformed and the password empty, then both are flagged and nothing is sent', async () => {
    const onSubmit = vi.fn();
    render(<SignInForm onSubmit={onSubmit} onDone={vi.fn()} />);

    await userEvent.type(screen.getByLabelText('Email'), 'not-an-email');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(screen.getByText('must be a valid email address')).toBeTruthy();
    expect(screen.getByText('Enter your password')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('when the credentials are wrong, then a form error says so', async () => {
    const onSubmit = vi
      .fn()
      .mockRejectedValue(new ApiError(401, 'invalid_credentials', 'Invalid email or password'));
    render(<SignInForm onSubmit={onSubmit} onDone={vi.fn()} />);

    await userEvent.type(screen.getByLabelText('Email'), 'asha@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'wrong password');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect((await screen.findByRole('alert')).textContent).toBe('Wrong email or password.');
  });
});

describe('password forms', () => {
  it('when the forgot-password email is invalid, then nothing is requested', async () => {
    const onSubmit = vi.fn();
    render(<ForgotPasswordForm onSubmit={onSubmit} onDone={vi.fn()} />);

    await userEvent.type(screen.getByLabelText('Email'), 'asha@');
    await userEvent.click(screen.getByRole('button', { name: 'Send reset link' }));

    expect(screen.getByText('must be a valid email address')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('when the two new passwords differ, then the reset is not sent', async () => {
    const onSubmit = vi.fn();
    render(<ResetPasswordForm token={'t'.repeat(32)} onSubmit={onSubmit} onDone={vi.fn()} />);

    await userEvent.type(screen.getByLabelText('New password'), 'correct horse battery');
    await userEvent.type(screen.getByLabelText('Repeat new password'), 'correct horse battery!');
    await userEvent.click(screen.getByRole('button', { name: 'Set new password' }));

    expect(screen.getByText('The passwords do not match')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('when the reset link has no token, then the form explains instead of sending', async () => {
    const onSubmit = vi.fn();
    render(<ResetPasswordForm token="" onSubmit={onSubmit} onDone={vi.fn()} />);

    await userEvent.type(screen.getByLabelText('New password'), 'correct horse battery');
    await userEvent.type(screen.getByLabelText('Repeat new password'), 'correct horse battery');
    await userEvent.click(screen.getByRole('button', { name: 'Set new password' }));

    expect(screen.getByText(/reset link is incomplete/)).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('when the change is valid, then current and new password are sent; a wrong current one is shown on its field', async () => {
    const onSubmit = vi.fn().mockRejectedValue(new ApiError(401, 'invalid_credentials', 'nope'));
    render(<ChangePasswordForm onSubmit={onSubmit} onDone={vi.fn()} />);

    await userEvent.type(screen.getByLabelText('Current password'), 'old password 1');
    await userEvent.type(screen.getByLabelText('New password'), 'new password 12');
    await userEvent.type(screen.getByLabelText('Repeat new password'), 'new password 12');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));

    expect(onSubmit).toHaveBeenCalledWith('old password 1', 'new password 12');
    expect(await screen.findByText('The current password is wrong.')).toBeTruthy();
  });

  it('when the new password is too short, then nothing is sent', async () => {
    const onSubmit = vi.fn();
    render(<ChangePasswordForm onSubmit={onSubmit} onDone={vi.fn()} />);

    await userEvent.type(screen.getByLabelText('Current password'), 'old password 1');
    await userEvent.type(screen.getByLabelText('New password'), 'short');
    await userEvent.type(screen.getByLabelText('Repeat new password'), 'short');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));

    expect(screen.getByText('must be at least 10 characters')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });
});
