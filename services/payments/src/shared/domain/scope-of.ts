import type { Scope } from '@expe/server-kit';

/**
 * The scope a stored row belongs to: work that starts from a row found by id (the checkout, the
 * scheduler) acts in the row's own project and mode, never in one taken from elsewhere.
 */
export function scopeOf(row: {
  merchantId: string;
  projectId: string;
  mode: Scope['mode'];
}): Scope {
  return { merchantId: row.merchantId, projectId: row.projectId, mode: row.mode };
}
