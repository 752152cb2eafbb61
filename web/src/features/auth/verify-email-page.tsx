import { useMutation } from '@tanstack/react-query';
import { MailCheck } from 'lucide-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ErrorState, Loading } from '../../components/states';
import { Button, TextField } from '../../components/ui';
import { updateUser } from '../../lib/session';
import { verifyEmail } from './api';
import { AuthCard, DevMailboxHint } from './components/auth-card';

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
