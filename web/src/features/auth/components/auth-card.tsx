import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { showDevMailbox } from '../../../components/layout';
import { Logo } from '../../../components/logo';
import { Card } from '../../../components/ui';

/** The frame of every sign-up, sign-in and password page: the logo, a title, a card, links. */
export function AuthCard({
  title,
  subtitle,
  children,
  footer,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div className="mx-auto max-w-md py-4 sm:py-10">
      <div className="mb-6 flex flex-col items-center gap-3 text-center">
        <Logo size="lg" markOnly />
        <h1>{title}</h1>
        {subtitle && <p className="text-sm text-slate-600">{subtitle}</p>}
      </div>
      <Card>{children}</Card>
      {footer && <div className="mt-4 space-y-1 text-center text-sm text-slate-600">{footer}</div>}
    </div>
  );
}

/** Where the mails of the sandbox land (when the dev mailbox is on). */
export function DevMailboxHint({ email }: { email?: string }) {
  if (!showDevMailbox) return null;
  return (
    <p>
      Sandbox: mails land in the{' '}
      <Link
        className="font-medium text-brand-700 underline"
        to={`/dev/mailbox${email ? `?email=${encodeURIComponent(email)}` : ''}`}
      >
        dev mailbox
      </Link>
      .
    </p>
  );
}
