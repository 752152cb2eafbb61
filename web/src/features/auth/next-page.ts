import type { SessionResource } from '@expe/contracts';

/** Where a person lands after signing up or in: a merchant's dashboard, an admin's settings, a wallet. */
export function homeFor(session: SessionResource): string {
  return session.user.role === 'merchant'
    ? '/dashboard'
    : session.user.role === 'admin'
      ? '/settings'
      : '/wallet';
}

/** Only same-app paths: `next=//evil.example` or a full URL must not redirect off-site. */
export function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : null;
}
