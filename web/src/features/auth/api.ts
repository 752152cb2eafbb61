import type { LoginInput, RegisterInput, SessionResource, UserResource } from '@expe/contracts';
import { api } from '../../lib/api';
import { applySession } from '../../lib/session';

export async function register(input: RegisterInput): Promise<SessionResource> {
  const session = await api<SessionResource>('/v1/auth/register', {
    method: 'POST',
    body: input,
    auth: 'none',
  });
  applySession(session);
  return session;
}

export async function login(input: LoginInput): Promise<SessionResource> {
  const session = await api<SessionResource>('/v1/auth/login', {
    method: 'POST',
    body: input,
    auth: 'none',
  });
  applySession(session);
  return session;
}

export const verifyEmail = (token: string) =>
  api<UserResource>('/v1/auth/verify-email', { method: 'POST', body: { token }, auth: 'none' });

export const resendVerification = () =>
  api<void>('/v1/auth/verify-email/resend', { method: 'POST', body: {} });

export const requestPasswordReset = (email: string) =>
  api<void>('/v1/auth/password-reset/request', { method: 'POST', body: { email }, auth: 'none' });

export const confirmPasswordReset = (token: string, password: string) =>
  api<void>('/v1/auth/password-reset/confirm', {
    method: 'POST',
    body: { token, password },
    auth: 'none',
  });

export const changePassword = (current_password: string, new_password: string) =>
  api<void>('/v1/auth/password', { method: 'POST', body: { current_password, new_password } });

export const getMe = () => api<UserResource>('/v1/auth/me');

export interface Mail {
  id: string;
  to: string;
  subject: string;
  text: string;
  kind: 'email_verification' | 'password_reset';
  token: string;
  created: number;
}

export const listMailbox = (email: string) =>
  api<{ data: Mail[] }>('/v1/dev/mailbox', { query: { email }, auth: 'none' });
