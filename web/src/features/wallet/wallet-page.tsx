import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowDownLeft, ArrowUpRight } from 'lucide-react';
import { QRCodeSVG } from 'qrcode.react';
import { PagedList } from '../../components/data-table';
import { RealtimeIndicator } from '../../components/realtime-indicator';
import { Empty, QueryState } from '../../components/states';
import { useToast } from '../../components/toast';
import { Badge, Card, CopyButton, PageHeader } from '../../components/ui';
import {
  getWallet,
  listTransactions,
  sendMoney,
  topUp,
  walletKeys,
  type WalletTransaction,
} from './api';
import { SendMoneyForm, TopUpForm } from './components/wallet-forms';
import { formatDate, formatMoney } from '../../lib/format';
import { useRealtime } from '../../lib/realtime';
import { getAccessToken } from '../../lib/session';
import { usePager } from '../../lib/use-pager';
import { useSession } from '../../lib/use-session';

const typeLabels: Record<WalletTransaction['type'], string> = {
  topup: 'Top-up',
  transfer_in: 'Received',
  transfer_out: 'Sent',
  payment: 'Payment',
  refund: 'Refund',
  hold: 'Held for a payment',
  release: 'Released hold',
};

function TransactionRow({ transaction }: { transaction: WalletTransaction }) {
  const incoming = transaction.amount > 0;
  const who =
    transaction.counterparty?.vpa ??
    transaction.counterparty?.name ??
    (transaction.type === 'topup' ? 'Sandbox top-up' : '—');
  return (
    <li className="flex items-center gap-3 py-3">
      <span
        className={`flex h-9 w-9 shrink-0 items-center justify-center rounded-full ${incoming ? 'bg-emerald-50 text-emerald-700' : 'bg-slate-100 text-slate-700'}`}
      >
        {incoming ? (
          <ArrowDownLeft className="h-4 w-4" aria-hidden="true" />
        ) : (
          <ArrowUpRight className="h-4 w-4" aria-hidden="true" />
        )}
      </span>
      <div className="min-w-0 flex-1">
        <p className="truncate text-sm font-medium text-slate-900">{who}</p>
        <p className="truncate text-xs text-slate-500">
          {typeLabels[transaction.type]} · {formatDate(transaction.created)}
          {transaction.note ? ` · ${transaction.note}` : ''}
        </p>
      </div>
      <span
        className={`text-sm font-semibold tabular-nums ${incoming ? 'text-emerald-700' : 'text-slate-900'}`}
      >
        {incoming ? '+' : '−'}
        {formatMoney(Math.abs(transaction.amount), transaction.currency)}
      </span>
    </li>
  );
}

export function WalletPage() {
  const session = useSession();
  const queryClient = useQueryClient();
  const toast = useToast();
  const pager = usePager();
  const wallet = useQuery({ queryKey: walletKeys.wallet, queryFn: getWallet });
  const transactions = useQuery({
    queryKey: walletKeys.transactions(pager.startingAfter),
    queryFn: () => listTransactions(pager.startingAfter),
  });
  const live = useRealtime({
    channel: 'wallet',
    credentials: () => ({ token: getAccessToken() }),
    invalidate: [walletKeys.all],
    onEvent: (event) => {
      if (event.type === 'transfer.completed') {
        const transfer = event.data.object as { to?: { vpa?: string }; amount?: number };
        if (
          transfer.to?.vpa &&
          transfer.to.vpa === wallet.data?.vpa &&
          typeof transfer.amount === 'number'
        ) {
          toast.success(`You received ${formatMoney(transfer.amount)}`);
        }
      }
    },
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: walletKeys.all });
  const name = session.status === 'signed_in' ? session.user.name : '';

  return (
    <div>
      <PageHeader
        title="Wallet"
        description={`Hi ${name}. Sandbox money: top up freely, send it to anyone on Expe.`}
        actions={<RealtimeIndicator status={live} />}
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <section
            aria-labelledby="balance-heading"
            className="rounded-xl bg-gradient-to-br from-brand-600 to-brand-900 p-6 text-white shadow-sm"
          >
            <h2 id="balance-heading" className="text-sm font-medium text-brand-100">
              Balance
            </h2>
            <QueryState query={wallet}>
              {(data) => (
                <>
                  <p
                    className="mt-1 text-4xl font-semibold tabular-nums"
                    data-testid="wallet-balance"
                  >
                    {formatMoney(data.balance, data.currency)}
                  </p>
                  {data.held > 0 && (
                    <p className="mt-1 text-sm text-brand-100" data-testid="wallet-held">
                      {formatMoney(data.held, data.currency)} held for payments not yet captured
                    </p>
                  )}
                  <p className="mt-2 text-sm text-brand-100">
                    Your VPA:{' '}
                    <span className="font-mono text-white" data-testid="wallet-vpa">
                      {data.vpa}
                    </span>
                  </p>
                </>
              )}
            </QueryState>
          </section>
          <div className="grid grid-cols-1 gap-6 sm:grid-cols-2">
            <Card title="Top up">
              <TopUpForm
                onSubmit={async (amount) => {
                  await topUp(amount);
                  toast.success(`Added ${formatMoney(amount)} to your wallet`);
                  await refresh();
                }}
              />
            </Card>
            <Card title="Send money">
              <SendMoneyForm
                onSubmit={async (input) => {
                  const transfer = await sendMoney(input);
                  toast.success(`Sent ${formatMoney(transfer.amount)} to ${transfer.to.vpa}`);
                  await refresh();
                }}
              />
            </Card>
          </div>
          <Card title="History">
            <PagedList
              query={transactions}
              pager={pager}
              empty={
                <Empty title="No transactions yet">Top up or ask a friend to send you money.</Empty>
              }
            >
              {(rows) => (
                <ul className="divide-y divide-slate-100" data-testid="wallet-history">
                  {rows.map((transaction) => (
                    <TransactionRow key={transaction.id} transaction={transaction} />
                  ))}
                </ul>
              )}
            </PagedList>
          </Card>
        </div>
        <Card title="Receive money">
          <QueryState query={wallet}>
            {(data) => {
              const uri = `upi://pay?pa=${encodeURIComponent(data.vpa)}&pn=${encodeURIComponent(name)}&cu=INR`;
              return (
                <div className="flex flex-col items-center gap-4 text-center">
                  <div className="rounded-xl bg-white p-3 ring-1 ring-slate-200">
                    <QRCodeSVG value={uri} size={184} title={`QR code for ${data.vpa}`} />
                  </div>
                  <p className="text-sm text-slate-600">
                    Scan to pay <strong className="font-mono">{data.vpa}</strong>, or share your
                    VPA.
                  </p>
                  <div className="flex flex-wrap justify-center gap-2">
                    <CopyButton value={data.vpa} label="Copy VPA" />
                  </div>
                  <Badge tone="brand">Sandbox · INR</Badge>
                </div>
              );
            }}
          </QueryState>
        </Card>
      </div>
    </div>
  );
}
