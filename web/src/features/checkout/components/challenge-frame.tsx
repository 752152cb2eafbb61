import type { ReactNode } from 'react';
import { Logo } from '../../../components/logo';

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
