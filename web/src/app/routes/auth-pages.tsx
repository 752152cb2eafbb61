import { useMutation, useQuery } from '@tanstack/react-query';
import { MailCheck } from 'lucide-react';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { SessionResource } from '@expe/contracts';
import { showDevMailbox } from '../../components/layout';
import { Logo } from '../../components/logo';
import { Empty, ErrorState, Loading } from '../../components/states';
import { useToast } from '../../components/toast';
import { Button, Card, TextField } from '../../components/ui';
import {
  confirmPasswordReset,
  listMailbox,
  login,
  register,
  requestPasswordReset,
  verifyEmail,
} from '../../features/auth/api';
import {
  ForgotPasswordForm,
  ResetPasswordForm,
} from '../../features/auth/components/password-forms';
import { SignInForm } from '../../features/auth/components/sign-in-form';
import { SignUpForm } from '../../features/auth/components/sign-up-form';
import { formatDate } from '../../lib/format';
import { updateUser } from '../../lib/session';

function AuthCard({
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

function DevMailboxHint({ email }: { email?: string }) {
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

function homeFor(session: SessionResource): string {
  return session.user.role === 'merchant'
    ? '/dashboard'
    : session.user.role === 'admin'
      ? '/settings'
      : '/wallet';
}

/** Only same-app paths: `next=//evil.example` or a full URL must not redirect off-site. */
function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : null;
}

export function SignUpPage() {
  const navigate = useNavigate();
  return (
    <AuthCard
      title="Create your Expe account"
      subtitle="Sandbox money only: try everything for free."
      footer={
        <p>
          Already have an account?{' '}
          <Link className="font-medium text-brand-700" to="/signin">
            Sign in
          </Link>
        </p>
      }
    >
      <SignUpForm onSubmit={register} onDone={(session) => void navigate(homeFor(session))} />
    </AuthCard>
  );
}

export function SignInPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return (
    <AuthCard
      title="Sign in to Expe"
      footer={
        <>
          <p>
            <Link className="font-medium text-brand-700" to="/forgot-password">
              Forgot your password?
            </Link>
          </p>
          <p>
            New here?{' '}
            <Link className="font-medium text-brand-700" to="/signup">
              Create an account
            </Link>
          </p>
        </>
      }
    >
      <SignInForm
        onSubmit={login}
        onDone={(session) => void navigate(safeNext(params.get('next')) ?? homeFor(session))}
      />
    </AuthCard>
  );
}

export function ForgotPasswordPage() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  return (
    <AuthCard
      title="Reset your password"
      subtitle="We will mail you a link to choose a new one."
      footer={
        <>
          <p>
            <Link className="font-medium text-brand-700" to="/signin">
              Back to sign in
            </Link>
          </p>
          <DevMailboxHint email={sentTo ?? undefined} />
        </>
      }
    >
      {sentTo ? (
        <div role="status" className="flex flex-col items-center gap-2 text-center text-sm">
          <MailCheck className="h-8 w-8 text-emerald-600" aria-hidden="true" />
          <p>
            If <strong>{sentTo}</strong> has an account, a reset link is on its way.
          </p>
        </div>
      ) : (
        <ForgotPasswordForm onSubmit={requestPasswordReset} onDone={setSentTo} />
      )}
    </AuthCard>
  );
}

export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const toast = useToast();
  return (
    <AuthCard title="Choose a new password" footer={<DevMailboxHint />}>
      <ResetPasswordForm
        token={params.get('token') ?? ''}
        onSubmit={confirmPasswordReset}
        onDone={() => {
          toast.success('Password changed. Sign in with the new one.');
          void navigate('/signin');
        }}
      />
    </AuthCard>
  );
}

export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const [token, setToken] = useState(params.get('token') ?? '');
  const started = useRef(false);
  const mutation = useMutation({
    mutationFn: verifyEmail,
    onSuccess: (user) => updateUser(user),
  });
  useEffect(() => {
    const fromLink = params.get('token');
    if (fromLink && !started.current) {
      started.current = true;
      mutation.mutate(fromLink);
    }
  }, [params, mutation]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim().length >= 20) mutation.mutate(token.trim());
  };
  return (
    <AuthCard title="Verify your email" footer={<DevMailboxHint />}>
      {mutation.isSuccess ? (
        <div role="status" className="flex flex-col items-center gap-2 text-center text-sm">
          <MailCheck className="h-8 w-8 text-emerald-600" aria-hidden="true" />
          <p>
            <strong>{mutation.data.email}</strong> is verified.
          </p>
          <Link className="font-medium text-brand-700" to="/">
            Continue
          </Link>
        </div>
      ) : mutation.isPending ? (
        <Loading label="Verifying…" />
      ) : (
        <form onSubmit={submit} className="space-y-4">
          {mutation.error ? <ErrorState error={mutation.error} /> : null}
          <TextField
            label="Verification code"
            name="token"
            value={token}
            onChange={(event) => setToken(event.target.value)}
            hint="Paste the code from the verification mail."
          />
          <Button type="submit" className="w-full">
            Verify
          </Button>
        </form>
      )}
    </AuthCard>
  );
}

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
