import { z } from 'zod';

/** Client → server messages of the real-time protocol (DESIGN §5a). */
export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('subscribe'),
    channel: z.string().regex(/^(payment:pay_[0-9a-z]{10,40}|merchant|wallet)$/),
    token: z.string().min(10).max(4096).optional(),
    client_secret: z.string().min(10).max(200).optional(),
    mode: z.enum(['test', 'live']).optional(),
  }),
  z.object({ type: z.literal('unsubscribe'), channel: z.string().max(100) }),
  z.object({ type: z.literal('ping') }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export type ServerMessage =
  | { type: 'subscribed'; channel: string }
  | { type: 'unsubscribed'; channel: string }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string; channel?: string }
  | { type: 'event'; channel: string; event: unknown };

export class SubscriptionError extends Error {
  constructor(
    readonly code: 'unauthorized' | 'forbidden' | 'not_found' | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}
