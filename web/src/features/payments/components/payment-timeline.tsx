import { Empty, QueryState } from '../../../components/states';
import { Card } from '../../../components/ui';
import { formatDate, titleCase } from '../../../lib/format';
import type { ListPage } from '../../../lib/api';
import type { TimelineEntry } from '../api';

/** What happened to a payment, oldest first, with the event of each step. */
export function PaymentTimeline({
  timeline,
}: {
  timeline: {
    isPending: boolean;
    error: unknown;
    data: ListPage<TimelineEntry> | undefined;
    refetch: () => unknown;
  };
}) {
  return (
    <Card title="Timeline">
      <QueryState query={timeline}>
        {(page) =>
          page.data.length === 0 ? (
            <Empty title="Nothing happened yet" />
          ) : (
            <ol
              className="relative space-y-4 border-l border-slate-200 pl-5"
              data-testid="timeline"
            >
              {page.data.map((entry) => (
                <li key={entry.event + entry.type} className="relative">
                  <span
                    className="absolute -left-[1.6rem] top-1 h-2.5 w-2.5 rounded-full bg-brand-600 ring-4 ring-white"
                    aria-hidden="true"
                  />
                  <p className="text-sm font-medium">{titleCase(entry.type.replace('.', ' '))}</p>
                  <p className="text-xs text-slate-500">
                    {formatDate(entry.created)} · <span className="font-mono">{entry.event}</span>
                  </p>
                </li>
              ))}
            </ol>
          )
        }
      </QueryState>
    </Card>
  );
}
