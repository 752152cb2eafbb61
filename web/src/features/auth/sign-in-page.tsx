import { Link, useNavigate, useSearchParams } from 'react-router';
import { login } from './api';
import { AuthCard } from './components/auth-card';
import { SignInForm } from './components/sign-in-form';
import { homeFor, safeNext } from './next-page';

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
