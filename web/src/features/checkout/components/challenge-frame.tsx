import { ShieldCheck } from 'lucide-react';
import type { ReactNode } from 'react';
import { Logo } from '../../../components/logo';
import { Button } from '../../../components/ui';

export type ChallengeOutcome = 'complete' | 'fail';

/** The page around either challenge. */
export function ChallengeFrame({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col items-center bg-slate-100 px-4 py-6 sm:py-12">
      <main className="w-full max-w-md overflow-hidden rounded-2xl bg-white p-6 shadow-lg ring-1 ring-slate-200">
        {children}
      </main>
      <p className="mt-6 flex items-center justify-center gap-2 text-xs text-slate-500">
        Secured by <Logo size="sm" /> · sandbox, no real money
      </p>
    </div>
  );
}

/**
 * The bank's question, the same for a payment and a card setup: what is being approved
 * (`children`), the error of the last answer, and the two answers the sandbox offers.
 */
export function ChallengeQuestion({
  children,
  error,
  sending,
  onAnswer,
}: {
  children: ReactNode;
  error: string | null;
  sending: ChallengeOutcome | null;
  onAnswer: (outcome: ChallengeOutcome) => void;
}) {
  return (
    <div className="space-y-5" data-testid="challenge">
      <div className="flex items-center gap-3">
        <ShieldCheck className="h-10 w-10 text-brand-600" aria-hidden="true" />
        <div>
          <h1 className="text-lg font-semibold">Confirm it’s you</h1>
          <p className="text-sm text-slate-600">3-D Secure · sandbox bank</p>
        </div>
      </div>
      {children}
      {error && (
        <p
          role="alert"
          className="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-700 ring-1 ring-rose-200"
        >
          {error}
        </p>
      )}
      <div className="grid grid-cols-2 gap-3">
        <Button variant="secondary" disabled={sending !== null} onClick={() => onAnswer('fail')}>
          {sending === 'fail' ? 'Failing…' : 'Fail authentication'}
        </Button>
        <Button disabled={sending !== null} onClick={() => onAnswer('complete')}>
          {sending === 'complete' ? 'Completing…' : 'Complete authentication'}
        </Button>
      </div>
    </div>
  );
}
