// Cursor pagination shared by every service's list endpoints (Stripe-style starting_after /
// ending_before over time-sortable ids).
import { asc, desc, gt, gte, lt, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

export interface PageRequest {
  limit: number;
  startingAfter?: string | undefined;
  endingBefore?: string | undefined;
}

export interface Page<T> {
  rows: T[];
  hasMore: boolean;
}

/**
 * Cursor pagination over a ULID id column, newest first. One extra row is fetched to learn
 * whether another page exists. `ending_before` walks towards newer rows, so it reads ascending
 * from the cursor and `toPage` flips the result back to newest first.
 */
export function pageQuery(
  idColumn: PgColumn,
  page: PageRequest,
): { cursor: SQL | undefined; orderBy: SQL; fetch: number } {
  if (page.endingBefore) {
    return {
      cursor: gt(idColumn, page.endingBefore),
      orderBy: asc(idColumn),
      fetch: page.limit + 1,
    };
  }
  return {
    cursor: page.startingAfter ? lt(idColumn, page.startingAfter) : undefined,
    orderBy: desc(idColumn),
    fetch: page.limit + 1,
  };
}

export function toPage<T>(rows: T[], page: PageRequest): Page<T> {
  const kept = rows.slice(0, page.limit);
  return { rows: page.endingBefore ? kept.reverse() : kept, hasMore: rows.length > page.limit };
}

/** A `created[…]` filter as half-open bounds: at least each `atLeast`, before each `before`. */
export interface CreatedRange {
  atLeast: Date[];
  before: Date[];
}

export function createdRangeConditions(column: PgColumn, range: CreatedRange | undefined): SQL[] {
  if (!range) return [];
  return [
    ...range.atLeast.map((date) => gte(column, date)),
    ...range.before.map((date) => lt(column, date)),
  ];
}

/** A list query's cursor fields (the contracts' `listQuerySchema`, parsed) as a page request. */
export function toPageRequest(query: {
  limit: number;
  starting_after?: string | undefined;
  ending_before?: string | undefined;
}): PageRequest {
  return {
    limit: query.limit,
    startingAfter: query.starting_after,
    endingBefore: query.ending_before,
  };
}

/** The API's list object (`{object: "list", data, has_more}`), the one every service renders. */
export function toListResource<Row, Resource>(page: Page<Row>, toResource: (row: Row) => Resource) {
  return { object: 'list' as const, data: page.rows.map(toResource), has_more: page.hasMore };
}
