import type * as Schemas from './schemas';

let schemas: Promise<typeof Schemas> | undefined;

/**
 * The checkout forms' schemas (zod), loaded on first use: a form starts this when it renders
 * and awaits it on submit, so the checkout's first download stays small (the size budget).
 */
export function loadCheckoutSchemas(): Promise<typeof Schemas> {
  schemas ??= import('./schemas');
  return schemas;
}
