import { useQueryClient } from '@tanstack/react-query';
import { LogOut, Menu, X } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { Link, NavLink, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import type { Role } from '@expe/contracts';
import { merchantKeys, useMerchantKeys } from '../lib/merchant-keys';
import { signOut } from '../lib/session';
import { useSession } from '../lib/use-session';
import { Logo } from './logo';
import { Loading } from './states';

// Production builds for a real deployment set VITE_HIDE_DEV_MAILBOX=true; the sandbox shows it.
export const showDevMailbox = import.meta.env.VITE_HIDE_DEV_MAILBOX !== 'true';

const linksByRole: Record<Role | 'anonymous', { to: string; label: string }[]> = {
  anonymous: [
    { to: '/', label: 'Home' },
    { to: '/developers/api', label: 'API reference' },
  ],
  user: [
    { to: '/wallet', label: 'Wallet' },
    { to: '/settings', label: 'Settings' },
  ],
  merchant: [
    { to: '/dashboard', label: 'Dashboard' },
    { to: '/payments', label: 'Payments' },
    { to: '/balance', label: 'Balance' },
    { to: '/disputes', label: 'Disputes' },
    { to: '/customers', label: 'Customers' },
    { to: '/qr-codes', label: 'QR codes' },
    { to: '/developers', label: 'Developers' },
    { to: '/webhooks/logs', label: 'Webhook logs' },
    { to: '/settings', label: 'Settings' },
  ],
  admin: [
    { to: '/developers/api', label: 'API reference' },
    { to: '/settings', label: 'Settings' },
  ],
};

// Where the header's links fit on one row: a merchant's nine from xl (1280 px, in a 7xl row),
// everyone else's two from md; below it, the menu button opens them. Whole class names, so
// Tailwind finds them.
const wideFrom = {
  xl: { row: 'hidden xl:flex', inline: 'hidden xl:inline-flex', narrow: 'xl:hidden' },
  md: { row: 'hidden md:flex', inline: 'hidden md:inline-flex', narrow: 'md:hidden' },
};

export function ModeSwitch() {
  const { mode } = useMerchantKeys();
  return (
    <div
      role="group"
      aria-label="Data mode"
      className="inline-flex rounded-lg bg-slate-100 p-0.5 text-xs font-medium"
    >
      {(['test', 'live'] as const).map((value) => (
        <button
          key={value}
          type="button"
          aria-pressed={mode === value}
          onClick={() => merchantKeys.setMode(value)}
          className={`rounded-md px-2.5 py-1 capitalize ${mode === value ? (value === 'test' ? 'bg-amber-400 text-amber-950' : 'bg-emerald-600 text-white') : 'text-slate-600'}`}
        >
          {value}
        </button>
      ))}
    </div>
  );
}

function Header() {
  const session = useSession();
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const role = session.status === 'signed_in' ? session.user.role : 'anonymous';
  const links = linksByRole[role];
  const wide = wideFrom[links.length > 4 ? 'xl' : 'md'];
  const linkClass = ({ isActive }: { isActive: boolean }) =>
    `block whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium ${isActive ? 'bg-brand-50 text-brand-700' : 'text-slate-700 hover:bg-slate-100'}`;
  const doSignOut = async () => {
    await signOut();
    merchantKeys.reset();
    queryClient.clear();
    await navigate('/signin');
  };
  return (
    <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/90 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-7xl items-center gap-4 px-4">
        <Link
          to={role === 'merchant' ? '/dashboard' : role === 'user' ? '/wallet' : '/'}
          aria-label="Expe home"
        >
          <Logo size="sm" />
        </Link>
        <nav aria-label="Main" className={`${wide.row} min-w-0 flex-1 items-center gap-0.5`}>
          {links.map((link) => (
            <NavLink key={link.to} to={link.to} end={link.to === '/'} className={linkClass}>
              {link.label}
            </NavLink>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-2">
          {role === 'merchant' && <ModeSwitch />}
          {session.status === 'signed_in' ? (
            <button
              type="button"
              onClick={() => void doSignOut()}
              className={`${wide.inline} items-center gap-1 whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100`}
            >
              <LogOut className="h-4 w-4" aria-hidden="true" /> Sign out
            </button>
          ) : session.status === 'anonymous' ? (
            <div className={`${wide.row} gap-2`}>
              <Link
                to="/signin"
                className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100"
              >
                Sign in
              </Link>
              <Link
                to="/signup"
                className="rounded-lg bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700"
              >
                Sign up
              </Link>
            </div>
          ) : null}
          <button
            type="button"
            className={`rounded-md p-2 text-slate-700 hover:bg-slate-100 ${wide.narrow}`}
            aria-expanded={open}
            aria-controls="mobile-nav"
            aria-label={open ? 'Close menu' : 'Open menu'}
            onClick={() => setOpen(!open)}
          >
            {open ? (
              <X className="h-5 w-5" aria-hidden="true" />
            ) : (
              <Menu className="h-5 w-5" aria-hidden="true" />
            )}
          </button>
        </div>
      </div>
      {open && (
        <nav
          id="mobile-nav"
          aria-label="Mobile"
          className={`border-t border-slate-200 px-4 py-2 ${wide.narrow}`}
          onClick={() => setOpen(false)}
        >
          {links.map((link) => (
            <NavLink key={link.to} to={link.to} end={link.to === '/'} className={linkClass}>
              {link.label}
            </NavLink>
          ))}
          {session.status === 'signed_in' ? (
            <button
              type="button"
              onClick={() => void doSignOut()}
              className="block w-full rounded-md px-3 py-2 text-left text-sm font-medium text-slate-700 hover:bg-slate-100"
            >
              Sign out
            </button>
          ) : (
            <>
              <NavLink to="/signin" className={linkClass}>
                Sign in
              </NavLink>
              <NavLink to="/signup" className={linkClass}>
                Sign up
              </NavLink>
            </>
          )}
        </nav>
      )}
    </header>
  );
}

function Footer() {
  const session = useSession();
  return (
    <footer className="mt-16 border-t border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl flex-col gap-4 px-4 py-8 text-sm text-slate-600 sm:flex-row sm:items-center sm:justify-between">
        <div className="flex items-center gap-3">
          <Logo size="sm" markOnly />
          <span>Expe — a sandbox payment gateway. No real money moves.</span>
        </div>
        <nav aria-label="Footer" className="flex flex-wrap gap-x-4 gap-y-2">
          <a href="/docs" className="hover:text-brand-700">
            API docs
          </a>
          <Link to="/developers/api" className="hover:text-brand-700">
            Endpoints
          </Link>
          {session.status === 'anonymous' && (
            <Link to="/signup" className="hover:text-brand-700">
              Sign up
            </Link>
          )}
          {showDevMailbox && (
            <Link to="/dev/mailbox" className="hover:text-brand-700">
              Dev mailbox
            </Link>
          )}
        </nav>
      </div>
    </footer>
  );
}

export function AppLayout() {
  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <Header />
      <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 sm:py-8">
        <Outlet />
      </main>
      <Footer />
    </div>
  );
}

/** Only for signed-in people with one of the roles; others go to sign in. */
export function RequireRole({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.status === 'loading') return <Loading label="Signing you in…" />;
  if (session.status === 'anonymous') {
    return (
      <Navigate
        to={`/signin?next=${encodeURIComponent(location.pathname + location.search)}`}
        replace
      />
    );
  }
  if (!roles.includes(session.user.role)) {
    return <Navigate to={session.user.role === 'merchant' ? '/dashboard' : '/wallet'} replace />;
  }
  return <>{children}</>;
}
