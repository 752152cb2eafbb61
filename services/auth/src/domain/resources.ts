import type { SessionResource, UserResource } from '@expe/contracts';
import { unixSeconds } from '@expe/server-kit';
import type { MailRow, UserRow } from '../db/schema.js';
import type { IssuedSession } from './sessions.js';

/** A user as the use cases return it; http/ renders it without importing db/. */
export type { UserRow };

export function toUserResource(user: UserRow): UserResource {
  return {
    id: user.id,
    object: 'user',
    email: user.email,
    name: user.name,
    role: user.role,
    vpa: user.vpa,
    email_verified: user.emailVerifiedAt !== null,
    created: unixSeconds(user.createdAt),
  };
}

export function toSessionResource(session: IssuedSession): SessionResource {
  return {
    access_token: session.accessToken,
    token_type: 'Bearer',
    expires_in: session.expiresIn,
    refresh_token: session.refreshToken,
    user: toUserResource(session.user),
  };
}

export function toMailResource(mail: MailRow) {
  return {
    id: mail.id,
    object: 'mail' as const,
    to: mail.toEmail,
    subject: mail.subject,
    text: mail.text,
    kind: mail.kind,
    token: mail.token,
    created: unixSeconds(mail.createdAt),
  };
}
