import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { DataTable } from '../../components/data-table';
import { Empty, QueryState } from '../../components/states';
import { useToast } from '../../components/toast';
import { Card, FilterField, PageHeader } from '../../components/ui';
import { balanceKeys, createPayout, getBalance, listBalanceTransactions, listPayouts } from './api';
import { BalanceSummary } from './components/balance-summary';
import { balanceTransactionsTable } from './components/balance-transactions-table';
import { PayoutForm } from './components/payout-form';
import { payoutsTable } from './components/payouts-table';
import { RequireKey } from '../merchants';
import { formatMoney } from '../../lib/format';
import type { SessionKey } from '../../lib/merchant-keys';
import { usePager } from '../../lib/use-pager';

const transactionTypes = ['payment', 'refund', 'dispute', 'payout', 'payout_failure'];

function BalanceTransactions({ apiKey }: { apiKey: SessionKey }) {
  const [type, setType] = useState('');
  const pager = usePager(type + apiKey.id);
  const transactions = useQuery({
    queryKey: balanceKeys.transactions(apiKey.id, type, pager.startingAfter),
    queryFn: () => listBalanceTransactions(apiKey.secret, type, pager.startingAfter),
  });
  return (
    <Card
      title="Balance transactions"
      actions={
        <FilterField
          label="Type"
          name="balance-transaction-type"
          value={type}
          onChange={setType}
          any="Every type"
          options={transactionTypes}
        />
      }
    >
      <DataTable
        query={transactions}
        pager={pager}
        empty={
          <Empty title="No balance transactions yet">
            Every payment, refund, dispute and payout that changes your balance shows here.
          </Empty>
        }
        {...balanceTransactionsTable}
      />
    </Card>
  );
}

function BalanceView({ apiKey }: { apiKey: SessionKey }) {
  const toast = useToast();
  const queryClient = useQueryClient();
  const balance = useQuery({
    queryKey: balanceKeys.balance(apiKey.id),
    queryFn: () => getBalance(apiKey.secret),
  });
  const pager = usePager(apiKey.id);
  const payouts = useQuery({
    queryKey: balanceKeys.payouts(apiKey.id, pager.startingAfter),
    queryFn: () => listPayouts(apiKey.secret, pager.startingAfter),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['balance', apiKey.id] });
  const inr = balance.data?.available.find((item) => item.currency === 'inr')?.amount ?? 0;
  return (
    <div className="space-y-6">
      <Card title="Balance">
        <QueryState query={balance}>{(data) => <BalanceSummary balance={data} />}</QueryState>
      </Card>
      <Card title="Payouts">
        <div className="mb-4">
          <PayoutForm
            available={inr}
            currency="inr"
            onSubmit={async (input) => {
              const payout = await createPayout(apiKey.secret, input);
              await refresh();
              if (payout.status === 'paid') {
                toast.success(`Paid out ${formatMoney(payout.amount, payout.currency)}`);
              } else {
                toast.error(new Error(payout.failure_message ?? 'The payout failed'));
              }
            }}
          />
        </div>
        <DataTable
          query={payouts}
          pager={pager}
          empty={
            <Empty title="No payouts yet">
              Pay out what is available to success@expe (paid) or failure@expe (fails).
            </Empty>
          }
          {...payoutsTable}
        />
      </Card>
      <BalanceTransactions apiKey={apiKey} />
    </div>
  );
}

export function BalancePage() {
  return (
    <div className="space-y-6">
      <PageHeader
        title="Balance"
        description="Available and pending money, every change to it, and payouts. The sandbox charges 2% + ₹3 per payment."
      />
      <RequireKey picker>{(key) => <BalanceView apiKey={key} />}</RequireKey>
    </div>
  );
}
