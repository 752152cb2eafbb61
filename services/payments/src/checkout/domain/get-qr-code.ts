import type { Scope } from '@expe/server-kit';
import { notFound, type Executor, type Page, type PageRequest } from '@expe/server-kit';
import type { PaymentRow } from '../../payments/db/payment-repository.js';
import {
  findScopedQrCode,
  listPaymentsOfQrCode,
  listQrCodes,
  type QrCodeRow,
} from '../db/qr-code-repository.js';

export async function getQrCode(db: Executor, scope: Scope, id: string): Promise<QrCodeRow> {
  const qr = await findScopedQrCode(db, scope, id);
  if (!qr) throw notFound('qr_code', id);
  return qr;
}

export function listMerchantQrCodes(
  db: Executor,
  filter: Scope & { status?: 'active' | 'closed' | undefined },
  page: PageRequest,
): Promise<Page<QrCodeRow>> {
  return listQrCodes(db, filter, page);
}

/** The payments made against the merchant's QR code (404 when it is not theirs). */
export async function listQrCodePayments(
  db: Executor,
  scope: Scope,
  id: string,
  page: PageRequest,
): Promise<Page<PaymentRow>> {
  await getQrCode(db, scope, id);
  return listPaymentsOfQrCode(db, id, page);
}
