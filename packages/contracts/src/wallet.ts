import {
  emailSchema,
  idSchema,
  listCursorsOf,
  listOf,
  listQuerySchema,
  oneCursorDirection,
  timestampSchema,
} from './common.js';
import { jsonBody, jsonResponse, security, withErrors, type Registry } from './route-docs.js';
import { amountSchema } from './money.js';
import { vpaSchema } from './payments.js';
import { z } from './zod.js';

export const walletSchema = z
  .object({
    object: z.literal('wallet'),
    balance: z.number().int(),
    /** Held for manual-capture payments not yet captured (not part of balance). */
    held: z.number().int(),
    currency: z.literal('inr'),
    vpa: z.string(),
  })
  .openapi('Wallet');
export type WalletResource = z.infer<typeof walletSchema>;

export const topupInputSchema = z.strictObject({ amount: amountSchema }).openapi('TopupInput');
export type TopupInput = z.infer<typeof topupInputSchema>;

export const topupSchema = z
  .object({
    id: idSchema('top'),
    object: z.literal('topup'),
    amount: z.number().int(),
    currency: z.literal('inr'),
    balance: z.number().int(),
    created: timestampSchema,
  })
  .openapi('Topup');

/** `to` is a VPA (`name@expe`) or an email address of another Expe user. */
export const transferInputSchema = z
  .strictObject({
    to: z.union([vpaSchema, emailSchema], {
      error: 'must be a VPA (name@expe) or an email address',
    }),
    amount: amountSchema,
    note: z.string().trim().max(140).optional(),
  })
  .openapi('TransferInput');
export type TransferInput = z.infer<typeof transferInputSchema>;

const partySchema = z.object({ user_id: idSchema('usr'), vpa: z.string() });

export const transferSchema = z
  .object({
    id: idSchema('txn'),
    object: z.literal('transfer'),
    amount: z.number().int(),
    currency: z.literal('inr'),
    from: partySchema,
    to: partySchema,
    note: z.string().nullable(),
    status: z.literal('completed'),
    created: timestampSchema,
  })
  .openapi('Transfer');
export type TransferResource = z.infer<typeof transferSchema>;

export const walletTransactionSchema = z
  .object({
    id: z.string(),
    object: z.literal('wallet_transaction'),
    /** hold: money held for a manual-capture payment; release: held money given back. */
    type: z.enum(['topup', 'transfer_in', 'transfer_out', 'payment', 'refund', 'hold', 'release']),
    /** Signed: positive when money came in, negative when it went out. */
    amount: z.number().int(),
    currency: z.literal('inr'),
    counterparty: z
      .object({
        kind: z.enum(['user', 'merchant', 'sandbox']),
        id: z.string().nullable(),
        name: z.string().nullable(),
        vpa: z.string().nullable(),
      })
      .nullable(),
    note: z.string().nullable(),
    reference: z.string().nullable(),
    created: timestampSchema,
  })
  .openapi('WalletTransaction');

export const listWalletTransactionsQuerySchema = listQuerySchema
  .extend({ ...listCursorsOf('le'), type: walletTransactionSchema.shape.type.optional() })
  .refine(...oneCursorDirection);

export function registerWalletRoutes(registry: Registry): void {
  const tags = ['Wallet'];
  const user = [...security.user];
  const idempotency = z.object({ 'idempotency-key': z.string().max(255).optional() });
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/wallet',
      tags,
      summary: "The signed-in user's wallet: balance and VPA",
      security: user,
      responses: { 200: jsonResponse(walletSchema, 'The wallet') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/wallet/topup',
      tags,
      summary: 'Add sandbox money to the wallet (daily limit applies)',
      security: user,
      request: { body: jsonBody(topupInputSchema), headers: idempotency },
      responses: { 201: jsonResponse(topupSchema, 'The top-up') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/wallet/transfers',
      tags,
      summary: 'Send money to another user by VPA or email',
      security: user,
      request: { body: jsonBody(transferInputSchema), headers: idempotency },
      responses: {
        201: jsonResponse(transferSchema, 'The completed transfer'),
        402: jsonResponse(z.any(), 'Not enough money in the wallet (insufficient_funds)'),
      },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/wallet/transactions',
      tags,
      summary: 'Wallet history, both directions, newest first',
      security: user,
      request: { query: listWalletTransactionsQuerySchema },
      responses: {
        200: jsonResponse(listOf(walletTransactionSchema), 'A page of wallet transactions'),
      },
    }),
  );
}
