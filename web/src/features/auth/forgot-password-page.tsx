import { MailCheck } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { requestPasswordReset } from './api';
import { AuthCard, DevMailboxHint } from './components/auth-card';
import { ForgotPasswordForm } from './components/password-forms';

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
