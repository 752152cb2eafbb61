import type { WebhookDeliveryAttemptResource } from '@expe/contracts';
import type { Column } from '../../../components/data-table';
import { StatusBadge } from '../../../components/ui';
import { formatDate } from '../../../lib/format';

type Attempt = WebhookDeliveryAttemptResource;

const attemptColumns: Column<Attempt>[] = [
  {
    header: 'Event',
    cell: (attempt) => (
      <>
        <p className="font-mono text-xs font-medium">{attempt.event.type}</p>
        <p className="font-mono text-xs text-slate-500">{attempt.event.id}</p>
        {(attempt.response_excerpt || attempt.error) && (
          <details className="mt-1">
            <summary className="cursor-pointer text-xs text-brand-700">Response</summary>
            <pre className="mt-1 max-h-40 max-w-md overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-2 text-xs">
              {attempt.error ?? attempt.response_excerpt}
            </pre>
          </details>
        )}
      </>
    ),
  },
  { header: 'Outcome', cell: (attempt) => <StatusBadge status={attempt.outcome} /> },
  { header: 'Attempt', className: 'tabular-nums', cell: (attempt) => `#${attempt.attempt}` },
  {
    header: 'Status code',
    className: 'tabular-nums',
    cell: (attempt) => attempt.status_code ?? '—',
  },
  {
    header: 'Latency',
    className: 'tabular-nums',
    cell: (attempt) => (attempt.latency_ms === null ? '—' : `${attempt.latency_ms} ms`),
  },
  {
    header: 'When',
    className: 'whitespace-nowrap text-slate-600',
    cell: (attempt) => (
      <>
        {formatDate(attempt.created)}
        {attempt.next_retry && (
          <p className="text-xs text-amber-700">retry {formatDate(attempt.next_retry)}</p>
        )}
      </>
    ),
  },
];

/** Table props of an endpoint's delivery log (for DataTable or Table). */
export const deliveryAttemptsTable = {
  columns: attemptColumns,
  caption: 'Delivery attempts',
  testId: 'delivery-log',
  minWidth: '40rem',
  density: 'compact',
  rowProps: () => ({ className: 'align-top' }),
} as const;
