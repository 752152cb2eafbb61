import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { DataTable } from '../../components/data-table';
import { Empty, QueryState } from '../../components/states';
import { Card, FilterField, PageHeader, SelectField, TextField } from '../../components/ui';
import { ConsoleNav } from '../console';
import { RequireKey } from '../merchants';
import { listAttempts, listEndpoints, webhookKeys } from './api';
import { deliveryAttemptsTable } from './components/delivery-attempts-table';
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
        <FilterField
          label="Outcome"
          name="outcome"
          value={outcome}
          onChange={setOutcome}
          any="Any outcome"
          options={['succeeded', 'failed_attempt', 'failed']}
          optionLabel={(value) =>
            value === 'failed_attempt' ? 'failed attempt (will retry)' : value
          }
        />
      </div>
      <DataTable
        query={attempts}
        pager={pager}
        select={(rows) => (outcome ? rows.filter((attempt) => attempt.outcome === outcome) : rows)}
        empty={
          <Empty title="No deliveries">
            Send a test event or create a payment to see deliveries here.
          </Empty>
        }
        {...deliveryAttemptsTable}
      />
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
    credentials: () => ({ token: getAccessToken(), project: apiKey.projectId, mode: apiKey.mode }),
    invalidate: [webhookKeys.all],
    resubscribeKey: `${apiKey.projectId}:${apiKey.mode}`,
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
      <RequireKey picker>{(key) => <Logs apiKey={key} />}</RequireKey>
    </div>
  );
}
