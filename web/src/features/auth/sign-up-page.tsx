import { Link, useNavigate } from 'react-router';
import { register } from './api';
import { AuthCard } from './components/auth-card';
import { SignUpForm } from './components/sign-up-form';
import { homeFor } from './next-page';

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
