import { notFound, type Executor } from '@expe/server-kit';
import {
  findMerchantEvent,
  listMerchantEvents,
  listPaymentEvents,
  type EventFilter,
  type EventRow,
} from '../db/event-repository.js';
import type { Page, PageRequest } from '@expe/server-kit';
import type { Scope } from '@expe/server-kit';

export async function getEvent(db: Executor, scope: Scope, id: string): Promise<EventRow> {
  const event = await findMerchantEvent(db, scope, id);
  if (!event) throw notFound('event', id);
  return event;
}

export function listEvents(
  db: Executor,
  scope: Scope,
  filter: EventFilter,
  page: PageRequest,
): Promise<Page<EventRow>> {
  return listMerchantEvents(db, scope, filter, page);
}

/** More than any real payment has; a payment hammered with failing attempts is cut off here. */
const maxTimelineEntries = 500;

export interface TimelineEntry {
  type: string;
  /** The payment's status after the event; `null` for events that are not payment changes. */
  status: string | null;
  eventId: string;
  createdAt: Date;
}

/** Everything that happened to a payment, oldest first, from its events. */
export async function getPaymentTimeline(
  db: Executor,
  paymentId: string,
): Promise<{ entries: TimelineEntry[]; hasMore: boolean }> {
  const rows = await listPaymentEvents(db, paymentId, maxTimelineEntries + 1);
  return {
    entries: rows.slice(0, maxTimelineEntries).map((row) => ({
      type: row.type,
      status:
        row.data.object === 'payment' && typeof row.data.status === 'string'
          ? row.data.status
          : null,
      eventId: row.id,
      createdAt: row.createdAt,
    })),
    hasMore: rows.length > maxTimelineEntries,
  };
}
