import { sql } from 'drizzle-orm';
import { check, index, text, type AnyPgColumn } from 'drizzle-orm/pg-core';
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

/**
 * What a scoped table lists by, beside its scope columns: the index its pages are read from
 * (`<table>_project_mode_id_idx` on project, mode, id) and the check that its mode is test or
 * live (`<table>_mode`). Spread into the table's extra config: `...scopeConstraints('payouts', t)`.
 * The names are the migrations'; schema-drift compares them.
 */
export function scopeConstraints(
  table: string,
  t: { id: AnyPgColumn; projectId: AnyPgColumn; mode: AnyPgColumn },
) {
  return [
    index(`${table}_project_mode_id_idx`).on(t.projectId, t.mode, t.id),
    check(`${table}_mode`, sql`${t.mode} in ('test', 'live')`),
  ];
}
