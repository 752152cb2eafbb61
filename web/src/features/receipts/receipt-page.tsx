import type { Receipt } from '@expe/contracts';
import { Printer } from 'lucide-react';
import type { ReactNode } from 'react';
import { Logo } from '../../components/logo';
import { Loading } from '../../components/states';
import { Button } from '../../components/ui';
import { formatDate, formatMoney, titleCase } from '../../lib/format';
import { useResource } from '../../lib/use-resource';
import { getReceipt } from './api';

/**
 * The hosted receipt of a succeeded charge (`/receipts/ch_…#<token>`): what the payer keeps, on
 * screen and printed. A wrong or incomplete link shows one error, whatever was wrong with it.
 */
export function ReceiptPage({ chargeId, token }: { chargeId: string; token: string }) {
  const receipt = useResource(
    `${chargeId}#${token}`,
    chargeId && token ? () => getReceipt(chargeId, token) : null,
  );
  const broken = !chargeId || !token || receipt.error !== undefined;
  return (
    <div className="flex min-h-screen flex-col items-center bg-slate-100 px-4 py-6 sm:py-12 print:bg-white print:py-0">
      <main className="w-full max-w-md rounded-2xl bg-white p-6 shadow-lg ring-1 ring-slate-200 print:shadow-none print:ring-0">
        {broken ? (
          <div role="alert" data-testid="receipt-error" className="space-y-2 py-6 text-center">
            <h1 className="text-lg font-semibold">This receipt link does not work</h1>
            <p className="text-sm text-slate-600">
              Check that you copied the whole link, or ask the merchant to send it again.
            </p>
          </div>
        ) : receipt.data ? (
          <ReceiptDetails receipt={receipt.data} />
        ) : (
          <Loading label="Loading the receipt…" />
        )}
      </main>
      <footer className="mt-6 print:hidden">
        <Logo size="sm" />
      </footer>
    </div>
  );
}

function ReceiptDetails({ receipt }: { receipt: Receipt }) {
  const card = receipt.payment_method.card;
  return (
    <article data-testid="receipt" className="space-y-5">
      <header className="space-y-1 text-center">
        <p className="text-sm text-slate-500">Receipt from</p>
        <h1 className="text-xl font-semibold" data-testid="receipt-merchant">
          {receipt.merchant.name}
        </h1>
        <p className="text-sm text-slate-500">Receipt #{receipt.receipt_number}</p>
      </header>
      <p className="text-center text-3xl font-semibold" data-testid="receipt-amount">
        {formatMoney(receipt.amount, receipt.currency)}
      </p>
      <dl className="divide-y divide-slate-100 text-sm">
        <Line label="Date">{formatDate(receipt.created)}</Line>
        <Line label="Paid with">
          <span data-testid="receipt-method">
            {card
              ? `${titleCase(card.brand)} •••• ${card.last4}`
              : titleCase(receipt.payment_method.type)}
          </span>
        </Line>
        {receipt.description && <Line label="For">{receipt.description}</Line>}
        {receipt.amount_captured !== receipt.amount && (
          <Line label="Captured">{formatMoney(receipt.amount_captured, receipt.currency)}</Line>
        )}
        {receipt.amount_refunded > 0 && (
          <Line label={receipt.refunded ? 'Refunded in full' : 'Refunded'}>
            <span data-testid="receipt-refunded">
              −{formatMoney(receipt.amount_refunded, receipt.currency)}
            </span>
          </Line>
        )}
        <Line label="Charge">
          <span className="font-mono text-xs">{receipt.charge}</span>
        </Line>
      </dl>
      {!receipt.livemode && (
        <p className="text-center text-xs text-amber-700">Test mode: no real money moved.</p>
      )}
      <div className="flex justify-center print:hidden">
        <Button variant="secondary" onClick={() => window.print()}>
          <Printer className="h-4 w-4" aria-hidden="true" />
          Print
        </Button>
      </div>
    </article>
  );
}

function Line({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex justify-between gap-4 py-2">
      <dt className="text-slate-500">{label}</dt>
      <dd className="text-right text-slate-900">{children}</dd>
    </div>
  );
}
