import type { SetupIntentResource } from '@expe/contracts';
import { CheckCircle2, XCircle } from 'lucide-react';
import { useState } from 'react';
import { ErrorState } from '../../../components/states';
import { ApiError, errorMessage } from '../../../lib/api';
import { authenticateSetupIntent } from '../api';
import { ChallengeFrame, ChallengeQuestion, type ChallengeOutcome } from './challenge-frame';

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
  const [sending, setSending] = useState<ChallengeOutcome | null>(null);
  const [result, setResult] = useState<SetupIntentResource | null>(null);
  const [error, setError] = useState<unknown>(null);

  const answer = async (outcome: ChallengeOutcome) => {
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
      <ChallengeQuestion
        error={error === null ? null : errorMessage(error)}
        sending={sending}
        onAnswer={(outcome) => void answer(outcome)}
      >
        <p className="text-sm text-slate-600">
          Your bank asks you to approve saving this card for future payments; nothing is charged
          now. In the sandbox no code is sent: choose what the cardholder does.
        </p>
      </ChallengeQuestion>
    );
  }
  return <ChallengeFrame>{body}</ChallengeFrame>;
}
