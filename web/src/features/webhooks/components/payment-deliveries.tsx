import type { WebhookDeliveryAttemptResource } from '@expe/contracts';
import { useQuery } from '@tanstack/react-query';
import { Empty, QueryState } from '../../../components/states';
import { StatusBadge } from '../../../components/ui';
import { formatDate } from '../../../lib/format';
import type { SessionKey } from '../../../lib/merchant-keys';
import { listAttempts, listEndpoints, webhookKeys } from '../api';

/** Attempts of every endpoint that concern this payment's events. */
export function PaymentDeliveries({
  apiKey,
  eventIds,
}: {
  apiKey: SessionKey;
  eventIds: string[];
}) {
  const deliveries = useQuery({
    queryKey: [...webhookKeys.endpoints(apiKey.id), 'for-events', eventIds],
    queryFn: async () => {
      const endpoints = await listEndpoints(apiKey.secret);
      const pages = await Promise.all(
        endpoints.data.map((endpoint) =>
          listAttempts(apiKey.secret, endpoint.id, undefined, undefined, 100),
        ),
      );
      const wanted = new Set(eventIds);
      return pages.flatMap((page) => page.data).filter((attempt) => wanted.has(attempt.event.id));
    },
    enabled: eventIds.length > 0,
    // Deliveries land a moment after their event; keep the list current while it is open.
    refetchInterval: 5_000,
  });
  if (eventIds.length === 0) return <Empty title="No events yet" />;
  return (
    <QueryState query={deliveries}>
      {(attempts: WebhookDeliveryAttemptResource[]) =>
        attempts.length === 0 ? (
          <Empty title="No webhook deliveries">
            Add an endpoint in the developer console to receive these events.
          </Empty>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="payment-deliveries">
            {attempts.map((attempt) => (
              <li key={attempt.id} className="flex flex-wrap items-center gap-2 py-2">
                <StatusBadge status={attempt.outcome} />
                <span className="font-mono text-xs">{attempt.event.type}</span>
                <span className="text-slate-500">
                  #{attempt.attempt} → {attempt.status_code ?? 'no response'}
                </span>
                <span className="ml-auto text-xs text-slate-500">
                  {formatDate(attempt.created)}
                </span>
              </li>
            ))}
          </ul>
        )
      }
    </QueryState>
  );
}
