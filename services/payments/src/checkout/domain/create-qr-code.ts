import type { Scope } from '@expe/server-kit';
import { AppError, newId, unixSeconds, type Executor } from '@expe/server-kit';
import type { CreateQrCodeInput } from '@expe/contracts';
import { insertQrCode, type QrCodeRow } from '../db/qr-code-repository.js';
import type { PaymentMerchant } from '../../payments/domain/create-payment.js';
import { toQrCodeResource, type InstrumentUrls } from './checkout-resources.js';
import { recordInstrumentEvent } from '../../events/domain/events.js';

export interface CreateQrCodeCommand {
  merchant: PaymentMerchant;
  scope: Scope;
  input: CreateQrCodeInput;
  /** The merchant's clock (the project clock in test mode). */
  now: Date;
  urls: InstrumentUrls;
}

/** A UPI QR code of the merchant, active until it is paid (single use), closed or `close_by`. */
export async function createQrCode(tx: Executor, command: CreateQrCodeCommand): Promise<QrCodeRow> {
  const { input, now } = command;
  if (input.close_by !== undefined && input.close_by <= unixSeconds(now)) {
    throw AppError.of(
      'parameter_invalid',
      `Invalid close_by: must be later than now (${unixSeconds(now)} by the project clock)`,
      { param: 'close_by' },
    );
  }
  const id = newId('qr');
  const qr = await insertQrCode(tx, command.scope, {
    id,
    merchantName: command.merchant.name,
    usage: input.usage,
    fixedAmount: input.fixed_amount,
    amount: input.fixed_amount ? (input.amount ?? null) : null,
    currency: 'inr',
    description: input.description,
    metadata: input.metadata ?? {},
    imageUrl: command.urls.qrImage(id),
    status: 'active',
    closeBy: input.close_by !== undefined ? new Date(input.close_by * 1000) : null,
    createdAt: now,
    updatedAt: now,
  });
  await recordInstrumentEvent(tx, 'qr_code.created', qr, toQrCodeResource(qr), now);
  return qr;
}
