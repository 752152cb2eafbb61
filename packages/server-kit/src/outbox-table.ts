import { sql } from 'drizzle-orm';
import {
  check,
  index,
  jsonb,
  text,
  timestamp,
  type AnyPgColumn,
  type PgColumnBuilderBase,
  type PgSchema,
  type PgTableExtraConfigValue,
  type PgTableWithColumns,
} from 'drizzle-orm/pg-core';
import type { BuildColumns } from 'drizzle-orm';

const timestampColumn = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The columns every outbox has (ADR 0003, ADR 0009): the event (`id` `evt_…`, `type`, `data` =
 * the API object after the change, `created_at`), its scope (`merchant_id`, `project_id`,
 * `mode`), the trace it was recorded in, and `relayed_at`, NULL until the relay published it.
 */
export function outboxColumns() {
  return {
    /** The event id (`evt_…`): the same on every queue, in the event log and in every delivery. */
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    mode: text('mode', { enum: ['test', 'live'] }).notNull(),
    /** The owner; NULL (with the project) for an event that concerns no merchant. */
    merchantId: text('merchant_id'),
    /** The scope: the event goes to that project's endpoints, event log and channel (in `mode`). */
    projectId: text('project_id'),
    /** The API object as it is after the change (`data.object` of the event). */
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    /** W3C trace context of the transaction that wrote the event, so the relay can continue it. */
    traceparent: text('traceparent'),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
    relayedAt: timestampColumn('relayed_at'),
  };
}

export type OutboxColumns = ReturnType<typeof outboxColumns>;

/** The common columns, those of the service replacing any of the same name. */
export type OutboxTableColumns<TExtra> = Omit<OutboxColumns, keyof TExtra> & TExtra;

/** A row of any outbox, as the relay reads it. */
export interface OutboxRow {
  id: string;
  type: string;
  mode: 'test' | 'live';
  merchantId: string | null;
  projectId: string | null;
  data: Record<string, unknown>;
  traceparent: string | null;
  createdAt: Date;
  relayedAt: Date | null;
}

/**
 * A service's outbox table: {@link outboxColumns}, then the service's own columns (which may
 * narrow a common one, e.g. `merchant_id` NOT NULL), the partial index the relay claims through
 * (`<name>_unrelayed_idx`) and the mode's CHECK (`<name>_mode`), then the service's own indexes
 * and constraints. Both services' outboxes are made here, so the relay reads one shape.
 */
export function outboxTable<
  TName extends string,
  TExtra extends Record<string, PgColumnBuilderBase> = Record<never, never>,
>(
  schema: PgSchema,
  name: TName,
  extra: TExtra = {} as TExtra,
  extraConfig: (
    table: Record<keyof OutboxColumns | keyof TExtra, AnyPgColumn>,
  ) => PgTableExtraConfigValue[] = () => [],
): PgTableWithColumns<{
  name: TName;
  schema: string;
  columns: BuildColumns<TName, OutboxTableColumns<TExtra>, 'pg'>;
  dialect: 'pg';
}> {
  const columns = { ...outboxColumns(), ...extra } as OutboxTableColumns<TExtra>;
  return schema.table(name, columns, (t) => {
    const table = t as unknown as Record<keyof OutboxColumns | keyof TExtra, AnyPgColumn>;
    return [
      index(`${name}_unrelayed_idx`)
        .on(table.id)
        .where(sql`relayed_at is null`),
      check(`${name}_mode`, sql`${table.mode} in ('test', 'live')`),
      ...extraConfig(table),
    ];
  });
}
