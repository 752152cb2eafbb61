import { z } from 'zod';

/** Client → server messages of the real-time protocol (DESIGN §5a). */
export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('subscribe'),
    channel: z.string().regex(/^(payment:pay_[0-9a-z]{10,40}|merchant|wallet)$/),
    token: z.string().min(10).max(4096).optional(),
    client_secret: z.string().min(10).max(200).optional(),
    /**
     * A merchant user's token acts in one project, as over HTTP with `Expe-Project`/`Expe-Mode`:
     * `project` is required for them (`merchant` and `payment:<id>`), `mode` defaults to test.
     * A secret key already names its project and mode; if sent, they must be the key's.
     */
    project: z
      .string()
      .regex(/^prj_[0-9a-z]{10,40}$/)
      .optional(),
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
    readonly code:
      | 'unauthorized'
      | 'forbidden'
      | 'not_found'
      | 'unavailable'
      /** A merchant user's token without `project`: the session acts in one project. */
      | 'project_required',
    message: string,
  ) {
    super(message);
  }
}
