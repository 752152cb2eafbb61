import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Empty, ErrorState, Loading } from '../../components/states';
import { Button, Card, TextField } from '../../components/ui';
import { formatDate } from '../../lib/format';
import { listMailbox } from './api';

export function DevMailboxPage() {
  const [params, setParams] = useSearchParams();
  const email = params.get('email') ?? '';
  const [draft, setDraft] = useState(email);
  const query = useQuery({
    queryKey: ['mailbox', email],
    queryFn: () => listMailbox(email),
    enabled: email.includes('@'),
  });
  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="mb-2">Dev mailbox</h1>
      <p className="mb-6 text-sm text-slate-600">
        A development convenience, not a mail service: every mail this Expe would have sent
        (verification links, password-reset tokens), for any address, readable by anyone who can
        reach this page. It is on for <code>npm start</code> on this machine only; elsewhere only
        with <code>DEV_MAILBOX=true</code>, and never in production.
      </p>
      <form
        className="mb-6 flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          setParams({ email: draft.trim() });
        }}
      >
        <div className="min-w-0 flex-1">
          <TextField
            label="Email address"
            name="email"
            type="email"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
          />
        </div>
        <Button type="submit">Open mailbox</Button>
      </form>
      {!email ? null : query.isPending ? (
        <Loading />
      ) : query.error ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.data.length === 0 ? (
        <Empty title="No mail yet">Sign up or ask for a password reset first.</Empty>
      ) : (
        <ul className="space-y-3">
          {query.data.data.map((mail) => (
            <li key={mail.id}>
              <Card>
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <h2 className="text-base">{mail.subject}</h2>
                  <span className="text-xs text-slate-500">{formatDate(mail.created)}</span>
                </div>
                <pre className="mt-2 whitespace-pre-wrap break-words text-sm text-slate-700">
                  {mail.text}
                </pre>
                <div className="mt-3">
                  <Link
                    className="inline-flex rounded-lg bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700"
                    to={`${mail.kind === 'password_reset' ? '/reset-password' : '/verify-email'}?token=${encodeURIComponent(mail.token)}`}
                  >
                    {mail.kind === 'password_reset' ? 'Reset password' : 'Verify email'}
                  </Link>
                </div>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
