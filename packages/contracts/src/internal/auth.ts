import { idSchema } from '../common.js';
import { roleSchema } from '../auth.js';
import { z } from '../zod.js';
import { internalErrorSchema, internalRoute } from './route.js';

/** What other services may know about a user: never the password hash or token state. */
export const internalUserSchema = z.object({
  id: idSchema('usr'),
  email: z.string(),
  name: z.string(),
  vpa: z.string(),
  role: roleSchema,
});
export type InternalUser = z.infer<typeof internalUserSchema>;

export const resolveUserInputSchema = z.strictObject({
  handle: z.string().trim().min(3).max(254),
});

/** Services that need to know who a user is (wallet transfers, payment pages). */
const userReaders = ['payments', 'webhooks'] as const;

/** The auth service's internal API. */
export const authInternalApi = {
  getUser: internalRoute({
    service: 'auth',
    method: 'GET',
    path: '/internal/users/:id',
    callers: userReaders,
    params: z.object({ id: idSchema('usr') }),
    responses: { 200: internalUserSchema, 404: internalErrorSchema },
  }),
  /** A user by e-mail address or VPA handle. */
  resolveUser: internalRoute({
    service: 'auth',
    method: 'POST',
    path: '/internal/users/resolve',
    callers: userReaders,
    body: resolveUserInputSchema,
    responses: { 200: internalUserSchema, 404: internalErrorSchema },
  }),
};
