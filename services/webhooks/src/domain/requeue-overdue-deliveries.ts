import { listOverdueDeliveries } from '../db/delivery-repository.js';
import type { WebhooksContext } from './context.js';

/**
 * PostgreSQL, not Redis, is the record of what is pending. A delivery whose attempt is long
 * overdue lost its job (Redis was down when it was queued, or lost its data): queue it again.
 * Answers how many it looked at.
 */
export async function requeueOverdueDeliveries(
  ctx: Pick<WebhooksContext, 'db' | 'scheduler'>,
  options: { now: Date; graceMs: number; limit: number },
): Promise<number> {
  const dueBefore = new Date(options.now.getTime() - options.graceMs);
  const overdue = await listOverdueDeliveries(ctx.db, dueBefore, options.limit);
  await ctx.scheduler.reschedule(
    overdue.map(({ delivery, traceparent }) => ({
      deliveryId: delivery.id,
      jobId: delivery.jobId,
      traceparent: traceparent ?? undefined,
    })),
  );
  return overdue.length;
}
