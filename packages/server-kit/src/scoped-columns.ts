import { text } from 'drizzle-orm/pg-core';
import { modes } from '@expe/contracts';

/**
 * The scope of a merchant object (issue 19), spread into its table's columns
 * (`...scopedColumns()`): the owner, kept for the console's totals and the merchant's name but
 * never a filter, and the boundary, the project with the mode: every read and write filters by
 * both (the `expe-boundaries/scoped-repository` lint rule reads a table that spreads these as
 * project-scoped, and `Scope`, `inScope` and `insertScoped` are the queries' side of it).
 */
export function scopedColumns() {
  return {
    merchantId: text('merchant_id').notNull(),
    projectId: text('project_id').notNull(),
    mode: text('mode', { enum: modes }).notNull(),
  };
}
