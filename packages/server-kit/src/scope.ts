import type { Response } from 'express';
import { requireSecretKey } from './identity.js';

/**
 * The scope of every merchant object: one project in one mode, like one
 * Stripe account's test or live data. The merchant owns the project (billing, users, the
 * console's project picker) but is never the boundary: two projects of one merchant see nothing
 * of each other. Every repository function that reads or writes a scoped row takes a `Scope`
 * (the `expe-boundaries/scoped-repository` lint rule keeps it so), and it comes from the caller's
 * identity, never from a request parameter.
 */
export interface Scope {
  /** The owner, kept on rows for the console's totals and the merchant's name; not a filter. */
  merchantId: string;
  /** The boundary: the project the key (or the merchant user's `Expe-Project`) acts in. */
  projectId: string;
  mode: 'test' | 'live';
}

/** The scope a secret key acts in; a merchant user's session arrives as that project's key. */
export function secretKeyScope(res: Response): Scope {
  const key = requireSecretKey(res);
  return { merchantId: key.merchantId, projectId: key.projectId, mode: key.mode };
}

/** The scope of a key of either type (publishable keys may only make checkout-side calls). */
export function keyScope(key: {
  merchantId: string;
  projectId: string;
  mode: 'test' | 'live';
}): Scope {
  return { merchantId: key.merchantId, projectId: key.projectId, mode: key.mode };
}
