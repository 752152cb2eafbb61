import { unixSeconds } from '@expe/server-kit';
import type { EventResource } from '@expe/contracts';
import type { EventRow } from '../db/event-repository.js';

const timestamp = (date: Date) => unixSeconds(date);

export function toEventResource(row: EventRow): EventResource {
  return {
    id: row.id,
    object: 'event',
    type: row.type,
    created: timestamp(row.createdAt),
    livemode: row.livemode,
    data: { object: row.data },
  };
}
