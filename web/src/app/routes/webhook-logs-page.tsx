import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Pager } from '../../components/pager';
import { Empty, QueryState } from '../../components/states';
import { Card, PageHeader, SelectField, StatusBadge, TextField } from '../../components/ui';
import { ConsoleNav } from '../../features/console/components/console-nav';
import { KeyPicker, RequireKey } from '../../features/merchants/components/key-picker';
import { listAttempts, listEndpoints, webhookKeys } from '../../features/webhooks/api';
import { formatDate } from '../../lib/format';
import type { SessionKey } from '../../lib/merchant-keys';
import { useRealtime } from '../../lib/realtime';
import { usePager } from '../../lib/use-pager';
import { getAccessToken } from '../../lib/session';

function Attempts({ apiKey, endpointId }: { apiKey: SessionKey; endpointId: string }) {
  const [eventFilter, setEventFilter] = useState('');
  const [outcome, setOutcome] = useState('');
  const event = /^evt_[0-9a-z]{10,40}$/.test(eventFilter.trim()) ? eventFilter.trim() : '';
  const pager = usePager(endpointId + event);
  const attempts = useQuery({
    queryKey: webhookKeys.attempts(apiKey.id, endpointId, event, pager.startingAfter),
    queryFn: () => listAttempts(apiKey.secret, endpointId, event, pager.startingAfter),
  });
  return (
    <>
      <div className="mb-4 grid gap-3 sm:grid-cols-2">
        <TextField
          label="Event id"
          name="event"
          placeholder="evt_…"
          value={eventFilter}
          onChange={(e) => setEventFilter(e.target.value)}
          error={eventFilter.trim() && !event ? 'An event id looks like evt_…' : undefined}
        />
        <SelectField
          label="Outcome"
          name="outcome"
          value={outcome}
          onChange={(e) => setOutcome(e.target.value)}
        >
          <option value="">Any outcome</option>
          <option value="succeeded">succeeded</option>
          <option value="failed_attempt">failed attempt (will retry)</option>
          <option value="failed">failed</option>
        </SelectField>
      </div>
      <QueryState query={attempts}>
        {(page) => {
          const rows = outcome
            ? page.data.filter((attempt) => attempt.outcome === outcome)
            : page.data;
          return rows.length === 0 ? (
            <Empty title="No deliveries">
              Send a test event or create a payment to see deliveries here.
            </Empty>
          ) : (
            <>
              <div className="-mx-4 overflow-x-auto sm:mx-0">
                <table
                  className="w-full min-w-[40rem] text-left text-sm"
                  data-testid="delivery-log"
                >
                  <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
                    <tr>
                      <th scope="col" className="px-3 py-2 font-medium">
                        Event
                      </th>
                      <th scope="col" className="px-3 py-2 font-medium">
                        Outcome
                      </th>
                      <th scope="col" className="px-3 py-2 font-medium">
                        Attempt
                      </th>
                      <th scope="col" className="px-3 py-2 font-medium">
                        Status code
                      </th>
                      <th scope="col" className="px-3 py-2 font-medium">
                        Latency
                      </th>
                      <th scope="col" className="px-3 py-2 font-medium">
                        When
                      </th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {rows.map((attempt) => (
                      <tr key={attempt.id} className="align-top">
                        <td className="px-3 py-2">
                          <p className="font-mono text-xs font-medium">{attempt.event.type}</p>
                          <p className="font-mono text-xs text-slate-500">{attempt.event.id}</p>
                          {(attempt.response_excerpt || attempt.error) && (
                            <details className="mt-1">
                              <summary className="cursor-pointer text-xs text-brand-700">
                                Response
                              </summary>
                              <pre className="mt-1 max-h-40 max-w-md overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-2 text-xs">
                                {attempt.error ?? attempt.response_excerpt}
                              </pre>
                            </details>
                          )}
                        </td>
                        <td className="px-3 py-2">
                          <StatusBadge status={attempt.outcome} />
                        </td>
                        <td className="px-3 py-2 tabular-nums">#{attempt.attempt}</td>
                        <td className="px-3 py-2 tabular-nums">{attempt.status_code ?? '—'}</td>
                        <td className="px-3 py-2 tabular-nums">
                          {attempt.latency_ms === null ? '—' : `${attempt.latency_ms} ms`}
                        </td>
                        <td className="whitespace-nowrap px-3 py-2 text-slate-600">
                          {formatDate(attempt.created)}
                          {attempt.next_retry && (
                            <p className="text-xs text-amber-700">
                              retry {formatDate(attempt.next_retry)}
                            </p>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager
                page={pager.page}
                canGoBack={pager.canGoBack}
                hasMore={page.has_more}
                onBack={pager.back}
                onNext={() => {
                  const last = page.data.at(-1);
                  if (last) pager.next(last.id);
                }}
              />
            </>
          );
        }}
      </QueryState>
    </>
  );
}

function Logs({ apiKey }: { apiKey: SessionKey }) {
  const [params, setParams] = useSearchParams();
  const endpoints = useQuery({
    queryKey: webhookKeys.endpoints(apiKey.id),
    queryFn: () => listEndpoints(apiKey.secret),
  });
  useRealtime({
    channel: 'merchant',
    credentials: () => ({ token: getAccessToken(), mode: apiKey.mode }),
    invalidate: [webhookKeys.all],
    resubscribeKey: apiKey.mode,
  });
  return (
    <Card title="Delivery attempts">
      <QueryState query={endpoints}>
        {(page) => {
          if (page.data.length === 0)
            return <Empty title="No webhook endpoints">Add one under Developers → Webhooks.</Empty>;
          const endpointId =
            page.data.find((endpoint) => endpoint.id === params.get('endpoint'))?.id ??
            page.data[0]?.id ??
            '';
          return (
            <>
              <div className="mb-4 max-w-xl">
                <SelectField
                  label="Endpoint"
                  name="endpoint"
                  value={endpointId}
                  onChange={(event) => setParams({ endpoint: event.target.value })}
                >
                  {page.data.map((endpoint) => (
                    <option key={endpoint.id} value={endpoint.id}>
                      {endpoint.url}
                    </option>
                  ))}
                </SelectField>
              </div>
              <Attempts key={endpointId} apiKey={apiKey} endpointId={endpointId} />
            </>
          );
        }}
      </QueryState>
    </Card>
  );
}

export function WebhookLogsPage() {
  return (
    <div>
      <PageHeader
        title="Webhook logs"
        description="Every delivery attempt: status code, latency, response and next retry."
      />
      <ConsoleNav />
      <RequireKey>
        {(key) => (
          <div className="space-y-6">
            <KeyPicker compact />
            <Logs apiKey={key} />
          </div>
        )}
      </RequireKey>
    </div>
  );
}
