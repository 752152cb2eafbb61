import type { Page, PageRequest } from '@expe/server-kit';

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

export function toListResource<Row, Resource>(page: Page<Row>, toResource: (row: Row) => Resource) {
  return { object: 'list' as const, data: page.rows.map(toResource), has_more: page.hasMore };
}
