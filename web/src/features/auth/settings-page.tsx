import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useToast } from '../../components/toast';
import { Badge, Card, PageHeader } from '../../components/ui';
import { QueryState } from '../../components/states';
import { changePassword, getMe, resendVerification } from './api';
import { ChangePasswordForm } from './components/password-forms';
import { getMerchant, merchantKeysQuery, updateMerchant, NameForm } from '../merchants';
import { formatDate } from '../../lib/format';
import { useSession } from '../../lib/use-session';
import { Button } from '../../components/ui';

function MerchantProfile() {
  const toast = useToast();
  const queryClient = useQueryClient();
  const merchant = useQuery({ queryKey: merchantKeysQuery.profile, queryFn: getMerchant });
  return (
    <Card title="Business">
      <QueryState query={merchant}>
        {(data) => (
          <div className="space-y-4">
            <p className="text-sm text-slate-600">
              Shown to customers on the checkout page.{' '}
              <span className="font-mono text-xs">{data.id}</span>
            </p>
            <NameForm
              key={data.name}
              label="Business name"
              initial={data.name}
              submitLabel="Save"
              onSubmit={async (name) => {
                await updateMerchant(name);
                toast.success('Business name saved');
                await queryClient.invalidateQueries({ queryKey: merchantKeysQuery.profile });
              }}
            />
          </div>
        )}
      </QueryState>
    </Card>
  );
}

export function SettingsPage() {
  const session = useSession();
  const toast = useToast();
  const me = useQuery({ queryKey: ['me'], queryFn: getMe });
  const role = session.status === 'signed_in' ? session.user.role : null;
  return (
    <div className="space-y-6">
      <PageHeader title="Settings" description="Your profile and password." />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card title="Profile">
          <QueryState query={me}>
            {(user) => (
              <dl className="grid grid-cols-1 gap-3 text-sm sm:grid-cols-2">
                <div>
                  <dt className="text-slate-500">Name</dt>
                  <dd className="font-medium">{user.name}</dd>
                </div>
                <div>
                  <dt className="text-slate-500">Role</dt>
                  <dd>
                    <Badge tone="brand">{user.role}</Badge>
                  </dd>
                </div>
                <div className="sm:col-span-2">
                  <dt className="text-slate-500">Email</dt>
                  <dd className="flex flex-wrap items-center gap-2 font-medium">
                    {user.email}{' '}
                    {user.email_verified ? (
                      <Badge tone="green">verified</Badge>
                    ) : (
                      <Badge tone="amber">not verified</Badge>
                    )}
                    {!user.email_verified && (
                      <Button
                        variant="ghost"
                        onClick={() =>
                          void resendVerification().then(
                            () => toast.success('Verification mail sent'),
                            toast.error,
                          )
                        }
                      >
                        Resend mail
                      </Button>
                    )}
                  </dd>
                </div>
                <div>
                  <dt className="text-slate-500">VPA</dt>
                  <dd className="font-mono">{user.vpa}</dd>
                </div>
                <div>
                  <dt className="text-slate-500">Member since</dt>
                  <dd>{formatDate(user.created)}</dd>
                </div>
              </dl>
            )}
          </QueryState>
        </Card>
        <Card title="Change password">
          <p className="mb-4 text-sm text-slate-600">
            Other devices are signed out when you change it.
          </p>
          <ChangePasswordForm
            onSubmit={changePassword}
            onDone={() => toast.success('Password changed')}
          />
        </Card>
        {role === 'merchant' && <MerchantProfile />}
      </div>
    </div>
  );
}
