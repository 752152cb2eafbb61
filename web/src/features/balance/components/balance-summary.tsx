import type { Balance } from '../api';
import { formatMoney } from '../../../lib/format';

/** Available and pending per currency, side by side. */
export function BalanceSummary({ balance }: { balance: Balance }) {
  return (
    <div className="grid gap-4 sm:grid-cols-2" data-testid="balance-summary">
      {(['available', 'pending'] as const).map((kind) => (
        <div key={kind} className="rounded-lg bg-slate-50 p-4 ring-1 ring-slate-200">
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">
            {kind === 'available' ? 'Available' : 'Pending'}
          </p>
          <ul className="mt-1 space-y-0.5">
            {balance[kind].map((item) => (
              <li
                key={item.currency}
                className="text-2xl font-semibold tabular-nums text-slate-900"
                data-testid={`balance-${kind}-${item.currency}`}
              >
                {formatMoney(item.amount, item.currency)}
              </li>
            ))}
          </ul>
          <p className="mt-2 text-xs text-slate-500">
            {kind === 'available'
              ? 'What payouts and refunds can use now.'
              : 'Payments become available 2 days after they succeed (the test clock counts).'}
          </p>
        </div>
      ))}
    </div>
  );
}
