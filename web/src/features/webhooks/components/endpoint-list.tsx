import type { WebhookEndpointResource } from '@expe/contracts';
import { Link } from 'react-router';
import { Button, StatusBadge } from '../../../components/ui';
import { formatDate } from '../../../lib/format';
import type { EndpointDialog } from './endpoint-dialogs';

/** The endpoints with what each listens to, and its actions; `toggling`/`testing` are busy. */
export function EndpointList({
  endpoints,
  onOpen,
  onToggle,
  onTest,
  toggling,
  testing,
}: {
  endpoints: WebhookEndpointResource[];
  onOpen: (dialog: EndpointDialog) => void;
  onToggle: (endpoint: WebhookEndpointResource) => void;
  onTest: (endpoint: WebhookEndpointResource) => void;
  toggling: string | undefined;
  testing: string | undefined;
}) {
  return (
    <ul className="divide-y divide-slate-100" data-testid="endpoints">
      {endpoints.map((endpoint) => (
        <li key={endpoint.id} className="space-y-2 py-3 text-sm">
          <div className="flex flex-wrap items-center gap-2">
            <code className="min-w-0 break-all font-mono text-sm font-medium">{endpoint.url}</code>
            <StatusBadge status={endpoint.status} />
          </div>
          <p className="text-xs text-slate-500">
            {endpoint.enabled_events.includes('*')
              ? 'All events'
              : endpoint.enabled_events.join(', ')}{' '}
            · created {formatDate(endpoint.created)}
            {endpoint.description ? ` · ${endpoint.description}` : ''}
          </p>
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" onClick={() => onOpen({ kind: 'edit', endpoint })}>
              Edit events
            </Button>
            <Button
              variant="secondary"
              busy={toggling === endpoint.id}
              onClick={() => onToggle(endpoint)}
            >
              {endpoint.status === 'enabled' ? 'Disable' : 'Enable'}
            </Button>
            <Button variant="secondary" onClick={() => onOpen({ kind: 'rotate', endpoint })}>
              Rotate secret
            </Button>
            <Button
              variant="secondary"
              busy={testing === endpoint.id}
              onClick={() => onTest(endpoint)}
            >
              Send test event
            </Button>
            <Link
              className="inline-flex items-center rounded-lg px-3 py-2 text-sm font-medium text-brand-700 hover:bg-brand-50"
              to={`/webhooks/logs?endpoint=${endpoint.id}`}
            >
              Delivery log
            </Link>
            <Button variant="danger-ghost" onClick={() => onOpen({ kind: 'delete', endpoint })}>
              Delete
            </Button>
          </div>
        </li>
      ))}
    </ul>
  );
}
