import { useNavigate, useSearchParams } from 'react-router';
import { useToast } from '../../components/toast';
import { confirmPasswordReset } from './api';
import { AuthCard, DevMailboxHint } from './components/auth-card';
import { ResetPasswordForm } from './components/password-forms';

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
