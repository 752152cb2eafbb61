import type { QrCodeResource } from '@expe/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Download } from 'lucide-react';
import { QRCodeCanvas } from 'qrcode.react';
import { useRef, useState, type FormEvent } from 'react';
import { DataTable } from '../../components/data-table';
import { Empty, QueryState } from '../../components/states';
import { useToast } from '../../components/toast';
import {
  AmountField,
  Badge,
  Button,
  Card,
  PageHeader,
  SelectField,
  StatusBadge,
  TextField,
} from '../../components/ui';
import { RequireKey } from '../merchants';
import { paymentsTable } from './components/payments-table';
import {
  closeQrCode,
  createQrCode,
  listQrCodePayments,
  listQrCodes,
  payQrCodeInTestMode,
  qrCodeKeys,
} from './qr-codes-api';
import { readAmount } from '../../lib/amount';
import { formatMajorAmount, formatMoney } from '../../lib/format';
import { apiFieldErrors, useForm } from '../../lib/form';
import type { SessionKey } from '../../lib/merchant-keys';

function NewQrCodeForm({
  apiKey,
  onCreated,
}: {
  apiKey: SessionKey;
  onCreated: (qr: QrCodeResource) => void;
}) {
  const toast = useToast();
  const queryClient = useQueryClient();
  const form = useForm({ usage: 'multiple_use', amount: '', description: '' });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { values } = form;
    const amount = readAmount(values.amount, {
      label: 'Fixed amount',
      empty: 'to let the payer choose',
    });
    if (!amount.ok) return form.setErrors({ amount: amount.error });
    await form.run(
      async () => {
        const qr = await createQrCode(apiKey.secret, {
          usage: values.usage === 'single_use' ? 'single_use' : 'multiple_use',
          fixed_amount: amount.amount !== undefined,
          ...(amount.amount === undefined ? {} : { amount: amount.amount }),
          description: values.description,
        });
        toast.success(`Created ${qr.id}`);
        form.setValues({ ...values, amount: '', description: '' });
        void queryClient.invalidateQueries({ queryKey: ['qr-codes', apiKey.id] });
        onCreated(qr);
      },
      (error) => {
        // A field's error shows beside it; any other (the form has no line for it) as a toast.
        const errors = apiFieldErrors(error);
        if (errors.form) toast.error(error);
        return errors;
      },
    );
  };
  return (
    <Card title="New QR code">
      <form className="grid gap-3 sm:grid-cols-4" onSubmit={(event) => void submit(event)}>
        <TextField label="QR description" required maxLength={80} {...form.field('description')} />
        <SelectField label="Usage" {...form.field('usage')}>
          <option value="multiple_use">Multiple use</option>
          <option value="single_use">Single use</option>
        </SelectField>
        <AmountField
          label="Fixed amount"
          unit="₹"
          hint="Empty: the payer chooses."
          {...form.field('amount')}
        />
        <div className="flex items-end">
          <Button type="submit" className="w-full" busy={form.busy}>
            Create QR code
          </Button>
        </div>
      </form>
    </Card>
  );
}

/** Saves the drawn code as a PNG file (the same image `GET /v1/qr_codes/:id/image` serves). */
function downloadPng(canvas: HTMLCanvasElement | null, name: string) {
  if (!canvas) return;
  const link = document.createElement('a');
  link.href = canvas.toDataURL('image/png');
  link.download = name;
  link.click();
}

function QrCodeDetails({ apiKey, qr }: { apiKey: SessionKey; qr: QrCodeResource }) {
  const toast = useToast();
  const queryClient = useQueryClient();
  // Drawn here from the code's UPI link: the console acts with the session, which an <img src>
  // could not send, and the image holds nothing but this link.
  const canvas = useRef<HTMLCanvasElement>(null);
  const [amount, setAmount] = useState(qr.amount !== null ? formatMajorAmount(qr.amount) : '');
  const [amountError, setAmountError] = useState<string | undefined>();
  const payments = useQuery({
    queryKey: qrCodeKeys.payments(apiKey.id, qr.id),
    queryFn: () => listQrCodePayments(apiKey.secret, qr.id),
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['qr-codes', apiKey.id] });
  const pay = useMutation({
    mutationFn: (minor: number) => payQrCodeInTestMode(apiKey.secret, qr.id, minor, 'success@expe'),
    onSuccess: (payment) => {
      toast.success(`Paid ${formatMoney(payment.amount, payment.currency)} by UPI`);
      refresh();
    },
    onError: (error) => {
      toast.error(error);
      refresh();
    },
  });
  const close = useMutation({
    mutationFn: () => closeQrCode(apiKey.secret, qr.id),
    onSuccess: () => {
      toast.success('Closed');
      refresh();
    },
    onError: toast.error,
  });
  return (
    <Card
      title={qr.description}
      actions={
        <>
          <StatusBadge status={qr.status} />
          <Badge>{qr.usage.replace('_', ' ')}</Badge>
        </>
      }
    >
      <div className="grid grid-cols-1 gap-6 md:grid-cols-[220px_minmax(0,1fr)]">
        <div className="space-y-3">
          <QRCodeCanvas
            ref={canvas}
            value={qr.upi_uri}
            size={208}
            marginSize={2}
            level="M"
            role="img"
            aria-label={`UPI QR code ${qr.id}`}
            className="rounded-lg ring-1 ring-slate-200"
            data-testid="qr-image"
          />
          <Button variant="secondary" onClick={() => downloadPng(canvas.current, `${qr.id}.png`)}>
            <Download className="h-4 w-4" aria-hidden="true" /> Download PNG
          </Button>
        </div>
        <div className="min-w-0 space-y-4">
          <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-6 gap-y-2 text-sm">
            <dt className="text-slate-500">Amount</dt>
            <dd>{qr.amount !== null ? formatMoney(qr.amount, 'inr') : 'chosen by the payer'}</dd>
            <dt className="text-slate-500">Payments</dt>
            <dd data-testid="qr-payments-count">{qr.payments_count}</dd>
            <dt className="text-slate-500">Received</dt>
            <dd data-testid="qr-received">{formatMoney(qr.payments_amount_received, 'inr')}</dd>
            <dt className="text-slate-500">UPI link</dt>
            <dd className="break-all font-mono text-xs">{qr.upi_uri}</dd>
          </dl>
          {qr.status === 'active' && (
            <div className="flex flex-wrap items-end gap-2">
              {!qr.livemode && (
                <>
                  <AmountField
                    label="Test payment"
                    unit="₹"
                    name="test-amount"
                    value={amount}
                    error={amountError}
                    disabled={qr.fixed_amount}
                    onChange={(event) => setAmount(event.target.value)}
                  />
                  <Button
                    busy={pay.isPending}
                    disabled={!amount}
                    onClick={() => {
                      const read = readAmount(amount, { label: 'Test payment' });
                      setAmountError(read.ok ? undefined : read.error);
                      if (read.ok) pay.mutate(read.amount);
                    }}
                  >
                    Simulate UPI payment
                  </Button>
                </>
              )}
              <Button variant="secondary" busy={close.isPending} onClick={() => close.mutate()}>
                Close QR code
              </Button>
            </div>
          )}
          <DataTable
            query={payments}
            empty={<Empty title="No payments yet">Scan it with a UPI app, or simulate one.</Empty>}
            {...paymentsTable}
          />
        </div>
      </div>
    </Card>
  );
}

function QrCodesList({ apiKey }: { apiKey: SessionKey }) {
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const qrCodes = useQuery({
    queryKey: qrCodeKeys.list(apiKey.id),
    queryFn: () => listQrCodes(apiKey.secret),
  });
  const selected = qrCodes.data?.data.find((qr) => qr.id === selectedId);
  return (
    <>
      <NewQrCodeForm apiKey={apiKey} onCreated={(qr) => setSelectedId(qr.id)} />
      {selected && <QrCodeDetails key={selected.id} apiKey={apiKey} qr={selected} />}
      <Card title="QR codes">
        <QueryState query={qrCodes}>
          {(page) =>
            page.data.length === 0 ? (
              <Empty title="No QR codes yet">Create one above or with POST /v1/qr_codes.</Empty>
            ) : (
              <ul className="divide-y divide-slate-100" data-testid="qr-codes">
                {page.data.map((qr) => (
                  <li key={qr.id} className="flex flex-wrap items-center gap-3 py-3">
                    <span className="font-medium">{qr.description}</span>
                    <StatusBadge status={qr.status} />
                    <span className="text-sm text-slate-600">
                      {qr.payments_count} payment{qr.payments_count === 1 ? '' : 's'} ·{' '}
                      {formatMoney(qr.payments_amount_received, 'inr')}
                    </span>
                    <code className="text-xs text-slate-500">{qr.id}</code>
                    <Button
                      variant="secondary"
                      className="ml-auto"
                      disabled={qr.id === selectedId}
                      onClick={() => setSelectedId(qr.id)}
                    >
                      Show
                    </Button>
                  </li>
                ))}
              </ul>
            )
          }
        </QueryState>
      </Card>
    </>
  );
}

export function QrCodesPage() {
  return (
    <div className="space-y-6">
      <PageHeader
        title="QR codes"
        description="UPI QR codes customers scan to pay, and the payments made with each."
      />
      <RequireKey picker>{(key) => <QrCodesList apiKey={key} />}</RequireKey>
    </div>
  );
}
