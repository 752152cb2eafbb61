import type { CreateQrCodeInput, PaymentResource, QrCodeResource } from '@expe/contracts';
import { api, type ListPage } from '../../lib/api';

export const qrCodeKeys = {
  list: (keyId: string, cursor?: string) => ['qr-codes', keyId, 'list', cursor ?? 'first'] as const,
  payments: (keyId: string, id: string) => ['qr-codes', keyId, 'payments', id] as const,
};

const withKey = (secret: string) => ({ bearer: secret });

export const listQrCodes = (secret: string, startingAfter?: string) =>
  api<ListPage<QrCodeResource>>('/v1/qr_codes', {
    auth: withKey(secret),
    query: { limit: 20, starting_after: startingAfter },
  });

export const createQrCode = (secret: string, input: CreateQrCodeInput) =>
  api<QrCodeResource>('/v1/qr_codes', { method: 'POST', auth: withKey(secret), body: input });

export const closeQrCode = (secret: string, id: string) =>
  api<QrCodeResource>(`/v1/qr_codes/${id}/close`, { method: 'POST', auth: withKey(secret) });

export const listQrCodePayments = (secret: string, id: string) =>
  api<ListPage<PaymentResource>>(`/v1/qr_codes/${id}/payments`, {
    auth: withKey(secret),
    query: { limit: 50 },
  });

/** Test mode only: a UPI app pays the code (the sandbox VPA decides the outcome). */
export const payQrCodeInTestMode = (secret: string, id: string, amount: number, vpa: string) =>
  api<PaymentResource>(`/v1/test_helpers/qr_codes/${id}/pay`, {
    method: 'POST',
    auth: withKey(secret),
    body: { amount, vpa },
  });
