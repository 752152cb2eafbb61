import { listQueryOf } from '@expe/contracts';
import type { PageRequest } from './pagination.js';
import { parseInput } from './validate.js';

const schemas = new Map<string, ReturnType<typeof listQueryOf>>();

/**
 * Parses `limit`, `starting_after` and `ending_before` of a list whose ids start with `prefix`,
 * with the contracts' `listQueryOf(prefix)`, the schema openapi.json publishes for it; a list with filters of its own extends `listQuerySchema` in
 * the contracts and maps it with `toPageRequest`.
 */
export function parseListQuery(prefix: string, query: unknown): PageRequest {
  let schema = schemas.get(prefix);
  if (!schema) {
    schema = listQueryOf(prefix);
    schemas.set(prefix, schema);
  }
  const parsed = parseInput(schema, query);
  return {
    limit: parsed.limit,
    startingAfter: parsed.starting_after,
    endingBefore: parsed.ending_before,
  };
}
