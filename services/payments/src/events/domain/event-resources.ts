import { outboxEventResource } from '@expe/server-kit';
import type { EventResource } from '@expe/contracts';
import type { EventRow } from '../db/event-repository.js';

/** The event as the event log lists it: exactly what the relay delivered (the kit's shape). */
export function toEventResource(row: EventRow): EventResource {
  return outboxEventResource(row);
}
