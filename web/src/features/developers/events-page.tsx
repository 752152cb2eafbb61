import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { PagedList } from '../../components/data-table';
import { Empty } from '../../components/states';
import { Card, FilterField, PageHeader } from '../../components/ui';
import { ConsoleNav } from '../console';
import { RequireKey } from '../merchants';
import { listEvents, paymentKeys } from '../payments';
import { formatDate } from '../../lib/format';
import type { SessionKey } from '../../lib/merchant-keys';
import { usePager } from '../../lib/use-pager';
import { webhookEventTypes } from '@expe/contracts';

function Events({ apiKey }: { apiKey: SessionKey }) {
  const [type, setType] = useState('');
  const pager = usePager(type + apiKey.id);
  const events = useQuery({
    queryKey: paymentKeys.events(apiKey.id, type, pager.startingAfter),
    queryFn: () => listEvents(apiKey.secret, type, pager.startingAfter),
  });
  return (
    <Card>
      <div className="mb-4 max-w-xs">
        <FilterField
          label="Event type"
          name="type"
          value={type}
          onChange={setType}
          any="All types"
          options={[...webhookEventTypes, 'transfer.completed']}
          optionLabel={(value) => value}
        />
      </div>
      <PagedList
        query={events}
        pager={pager}
        empty={
          <Empty title="No events">
            Events appear when payments are created, paid or refunded.
          </Empty>
        }
      >
        {(rows) => (
          <ul className="divide-y divide-slate-100" data-testid="events">
            {rows.map((event) => (
              <li key={event.id} className="py-2">
                <details>
                  <summary className="flex cursor-pointer flex-wrap items-center gap-2 text-sm">
                    <span className="font-mono font-medium">{event.type}</span>
                    <span className="font-mono text-xs text-slate-500">{event.id}</span>
                    <span className="ml-auto text-xs text-slate-500">
                      {formatDate(event.created)}
                    </span>
                  </summary>
                  <pre className="mt-2 max-h-80 overflow-auto rounded-lg bg-slate-900 p-3 text-xs text-slate-100">
                    {JSON.stringify(event, null, 2)}
                  </pre>
                </details>
              </li>
            ))}
          </ul>
        )}
      </PagedList>
    </Card>
  );
}

export function EventsPage() {
  return (
    <div>
      <PageHeader title="Developers" description="The event log of the chosen project and mode." />
      <ConsoleNav />
      <RequireKey picker>{(key) => <Events apiKey={key} />}</RequireKey>
    </div>
  );
}
