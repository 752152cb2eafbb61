import type { Receipt } from '@expe/contracts';
import { api, withQuery } from '../../lib/api';

/** A charge's receipt, opened with the token of its receipt_url (no credential). */
export const getReceipt = (chargeId: string, token: string) =>
  api<Receipt>(withQuery(`/v1/receipts/${encodeURIComponent(chargeId)}`, { token }), {
    auth: 'none',
  });
