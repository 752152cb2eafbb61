import type { SetupIntentResource } from '@expe/contracts';
import { CheckCircle2, ShieldCheck, XCircle } from 'lucide-react';
import { useState } from 'react';
import { ErrorState } from '../../../components/states';
import { Button } from '../../../components/ui';
import { ApiError, errorMessage } from '../../../lib/api';
import { authenticateSetupIntent } from '../api';
import { ChallengeFrame } from './challenge-frame';

/**
 * A SetupIntent's challenge: the cardholder approves saving the card (no amount is charged), and
 * the page shows the outcome the authenticate call answers. The client secret authorizes only
 * that call, so the page reads nothing before it: an answer to a SetupIntent that is not waiting
 * for authentication comes back as a 409 and is shown as such.
 */
export function SetupAuthenticationChallenge({
  id,
  clientSecret,
}: {
  id: string;
  clientSecret: string;
}) {
  const [sending, setSending] = useState<'complete' | 'fail' | null>(null);
  const [result, setResult] = useState<SetupIntentResource | null>(null);
  const [error, setError] = useState<unknown>(null);

  const answer = async (outcome: 'complete' | 'fail') => {
    setSending(outcome);
    setError(null);
    try {
      setResult(await authenticateSetupIntent(id, { client_secret: clientSecret, outcome }));
    } catch (failure) {
      setError(failure);
    } finally {
      setSending(null);
    }
  };

  const invalid =
    !clientSecret || (error instanceof ApiError && (error.status === 404 || error.status === 401));
  let body;
  if (invalid) {
    body = (
      <ErrorState
        error={new Error('This authentication link is not valid: go back to the merchant.')}
      />
    );
  } else if (error instanceof ApiError && error.status === 409) {
    body = (
      <div className="space-y-2 text-center" data-testid="challenge-done">
        <p className="text-sm text-slate-600">This card setup is not waiting for authentication.</p>
      </div>
    );
  } else if (result?.status === 'succeeded') {
    body = (
      <div className="space-y-3 text-center" data-testid="setup-succeeded">
        <CheckCircle2 className="mx-auto h-10 w-10 text-emerald-600" aria-hidden="true" />
        <h1 className="text-lg font-semibold">Card saved</h1>
        <p className="text-sm text-slate-600">
          You approved saving this card. You can close this page and go back to the merchant.
        </p>
      </div>
    );
  } else if (result) {
    body = (
      <div className="space-y-3 text-center" data-testid="setup-failed">
        <XCircle className="mx-auto h-10 w-10 text-rose-600" aria-hidden="true" />
        <h1 className="text-lg font-semibold">Card not saved</h1>
        <p className="text-sm text-slate-600" data-testid="failure-reason">
          {result.last_setup_error?.message ?? 'The card could not be saved.'}
        </p>
      </div>
    );
  } else {
    body = (
      <div className="space-y-5" data-testid="challenge">
        <div className="flex items-center gap-3">
          <ShieldCheck className="h-10 w-10 text-brand-600" aria-hidden="true" />
          <div>
            <h1 className="text-lg font-semibold">Confirm it’s you</h1>
            <p className="text-sm text-slate-600">3-D Secure · sandbox bank</p>
          </div>
        </div>
        <p className="text-sm text-slate-600">
          Your bank asks you to approve saving this card for future payments; nothing is charged
          now. In the sandbox no code is sent: choose what the cardholder does.
        </p>
        {error !== null && (
          <p
            role="alert"
            className="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-700 ring-1 ring-rose-200"
          >
            {errorMessage(error)}
          </p>
        )}
        <div className="grid grid-cols-2 gap-3">
          <Button
            variant="secondary"
            disabled={sending !== null}
            onClick={() => void answer('fail')}
          >
            {sending === 'fail' ? 'Failing…' : 'Fail authentication'}
          </Button>
          <Button disabled={sending !== null} onClick={() => void answer('complete')}>
            {sending === 'complete' ? 'Completing…' : 'Complete authentication'}
          </Button>
        </div>
      </div>
    );
  }
  return <ChallengeFrame>{body}</ChallengeFrame>;
}
