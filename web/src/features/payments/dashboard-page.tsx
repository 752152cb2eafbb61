import { useQuery } from '@tanstack/react-query';
import { CreditCard, Code2, ListOrdered, Webhook } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { DataTable } from '../../components/data-table';
import { RealtimeIndicator } from '../../components/realtime-indicator';
import { Empty, ErrorState, Loading } from '../../components/states';
import { Card, PageHeader } from '../../components/ui';
import { getStats, merchantKeysQuery, KeyPicker } from '../merchants';
import { listPayments, paymentKeys } from './api';
import { paymentsTable } from './components/payments-table';
import { formatMoney } from '../../lib/format';
import { merchantKeys as keyStore, useActiveKey, useMerchantKeys } from '../../lib/merchant-keys';
import { useRealtime } from '../../lib/realtime';
import { getAccessToken } from '../../lib/session';

function Stat({ label, value, note }: { label: string; value: ReactNode; note?: ReactNode }) {
  return (
    <div className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <p className="text-sm text-slate-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{value}</p>
      {note && <p className="mt-1 text-xs text-slate-500">{note}</p>}
    </div>
  );
}

function QuickAction({ to, icon, label }: { to: string; icon: ReactNode; label: string }) {
  return (
    <Link
      to={to}
      className="flex items-center gap-3 rounded-lg p-3 text-sm font-medium text-slate-700 ring-1 ring-slate-200 hover:bg-slate-50"
    >
      <span className="text-brand-600">{icon}</span>
      {label}
    </Link>
  );
}

export function DashboardPage() {
  const { mode } = useMerchantKeys();
  const key = useActiveKey();
  const stats = useQuery({
    queryKey: merchantKeysQuery.stats(mode),
    queryFn: () => getStats(mode),
  });
  const recent = useQuery({
    queryKey: paymentKeys.list(key?.id ?? 'none', {}, undefined, 5),
    queryFn: () => listPayments(key?.secret ?? '', {}, undefined, 5),
    enabled: Boolean(key),
  });
  const live = useRealtime({
    channel: 'merchant',
    credentials: () => ({
      token: getAccessToken(),
      project: keyStore.get().projectId,
      mode: keyStore.get().mode,
    }),
    invalidate: [['merchant', 'stats'], ['payments']],
    resubscribeKey: `${key?.projectId ?? ''}:${mode}`,
  });

  return (
    <div className="space-y-6">
      <PageHeader
        title="Dashboard"
        description={`Your ${mode}-mode payments at a glance.`}
        actions={<RealtimeIndicator status={live} />}
      />
      {stats.isPending ? (
        <Loading />
      ) : stats.error ? (
        <ErrorState error={stats.error} onRetry={() => void stats.refetch()} />
      ) : (
        <div className="grid grid-cols-2 gap-4 lg:grid-cols-4" data-testid="stats">
          <Stat
            label="Payments"
            value={stats.data.payments.total}
            note={`${stats.data.payments.open} open`}
          />
          <Stat
            label="Succeeded"
            value={<span data-testid="stat-succeeded">{stats.data.payments.succeeded}</span>}
            note={`${stats.data.payments.failed_attempts} failed ${stats.data.payments.failed_attempts === 1 ? 'attempt' : 'attempts'}`}
          />
          <Stat
            label="Volume"
            value={
              stats.data.volume.length === 0
                ? formatMoney(0)
                : stats.data.volume
                    .map((volume) => formatMoney(volume.amount, volume.currency))
                    .join(' · ')
            }
            note={
              stats.data.volume.some((volume) => volume.refunded > 0)
                ? `refunded ${stats.data.volume.map((volume) => formatMoney(volume.refunded, volume.currency)).join(' · ')}`
                : 'nothing refunded'
            }
          />
          <Stat
            label="Success rate"
            value={
              stats.data.success_rate === null
                ? '—'
                : `${Math.round(stats.data.success_rate * 100)}%`
            }
            note="of the payments someone tried to pay"
          />
        </div>
      )}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          {key ? (
            <Card
              title="Recent payments"
              actions={
                <Link className="text-sm font-medium text-brand-700" to="/payments">
                  View all
                </Link>
              }
            >
              <DataTable
                query={recent}
                empty={
                  <Empty title="No payments yet">
                    Create one with the{' '}
                    <Link className="text-brand-700" to="/developers/simulator">
                      payment simulator
                    </Link>
                    .
                  </Empty>
                }
                {...paymentsTable}
              />
            </Card>
          ) : (
            <KeyPicker />
          )}
        </div>
        <Card title="Quick actions">
          <div className="grid grid-cols-1 gap-2">
            <QuickAction
              to="/developers/simulator"
              icon={<CreditCard className="h-5 w-5" aria-hidden="true" />}
              label="Create a test payment"
            />
            <QuickAction
              to="/payments"
              icon={<ListOrdered className="h-5 w-5" aria-hidden="true" />}
              label="All payments"
            />
            <QuickAction
              to="/developers"
              icon={<Code2 className="h-5 w-5" aria-hidden="true" />}
              label="API keys and projects"
            />
            <QuickAction
              to="/developers/webhooks"
              icon={<Webhook className="h-5 w-5" aria-hidden="true" />}
              label="Webhook endpoints"
            />
          </div>
        </Card>
      </div>
    </div>
  );
}
