import { paymentStatuses } from '@expe/contracts';
import { useQuery } from '@tanstack/react-query';
import { Download } from 'lucide-react';
import { useState } from 'react';
import { DataTable } from '../../components/data-table';
import { Empty } from '../../components/states';
import { useToast } from '../../components/toast';
import { Button, Card, FilterField, PageHeader, TextField } from '../../components/ui';
import { RequireKey } from '../merchants';
import { listPayments, paymentKeys, type PaymentFilters } from './api';
import { downloadText, paymentsToCsv, paymentsTable } from './components/payments-table';
import { toUnixSeconds } from '../../lib/format';
import type { SessionKey } from '../../lib/merchant-keys';
import { usePager } from '../../lib/use-pager';
import type { PaymentResource } from '@expe/contracts';

function PaymentsList({ apiKey }: { apiKey: SessionKey }) {
  const toast = useToast();
  const [form, setForm] = useState({ status: '', from: '', to: '' });
  const filters: PaymentFilters = {
    ...(form.status ? { status: form.status } : {}),
    ...(form.from ? { from: toUnixSeconds(form.from) } : {}),
    ...(form.to ? { to: toUnixSeconds(form.to, true) } : {}),
  };
  const pager = usePager(JSON.stringify(filters) + apiKey.id);
  const payments = useQuery({
    queryKey: paymentKeys.list(apiKey.id, filters, pager.startingAfter, 20),
    queryFn: () => listPayments(apiKey.secret, filters, pager.startingAfter, 20),
  });
  const [exporting, setExporting] = useState(false);

  // Every page that matches the filters, up to 1,000 rows, not just the one on screen.
  const exportCsv = async () => {
    setExporting(true);
    try {
      const rows: PaymentResource[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await listPayments(apiKey.secret, filters, cursor, 100);
        rows.push(...page.data);
        cursor = page.data.at(-1)?.id;
        if (!page.has_more || !cursor || rows.length >= 1000) break;
      }
      downloadText(`expe-payments-${apiKey.mode}.csv`, paymentsToCsv(rows));
      toast.success(`Exported ${rows.length} payment${rows.length === 1 ? '' : 's'}`);
    } catch (error) {
      toast.error(error);
    } finally {
      setExporting(false);
    }
  };

  return (
    <Card>
      <form className="mb-4 grid gap-3 sm:grid-cols-4" onSubmit={(event) => event.preventDefault()}>
        <FilterField
          label="Status"
          name="status"
          value={form.status}
          onChange={(status) => setForm({ ...form, status })}
          any="Any status"
          options={paymentStatuses}
        />
        <TextField
          label="Created from"
          name="from"
          type="date"
          value={form.from}
          onChange={(event) => setForm({ ...form, from: event.target.value })}
        />
        <TextField
          label="Created until"
          name="to"
          type="date"
          value={form.to}
          onChange={(event) => setForm({ ...form, to: event.target.value })}
        />
        <div className="flex items-end">
          <Button
            variant="secondary"
            className="w-full"
            busy={exporting}
            onClick={() => void exportCsv()}
          >
            <Download className="h-4 w-4" aria-hidden="true" /> Export CSV
          </Button>
        </div>
      </form>
      <DataTable
        query={payments}
        pager={pager}
        empty={
          <Empty title="No payments match">
            Change the filters or create a payment with the simulator.
          </Empty>
        }
        {...paymentsTable}
      />
    </Card>
  );
}

export function PaymentsPage() {
  return (
    <div className="space-y-6">
      <PageHeader title="Payments" description="Every payment of the chosen project and mode." />
      <RequireKey picker>{(key) => <PaymentsList apiKey={key} />}</RequireKey>
    </div>
  );
}
