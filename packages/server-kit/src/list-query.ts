import { idSchema, listQuerySchema } from '@expe/contracts';
import type { PageRequest } from './pagination.js';
import { parseInput } from './validate.js';

/** The contracts' list query, with cursors that must be ids of the listed kind. */
function listQuerySchemaFor(prefix: string) {
  return listQuerySchema
    .extend({
      starting_after: idSchema(prefix).optional(),
      ending_before: idSchema(prefix).optional(),
    })
    .refine((query) => !(query.starting_after && query.ending_before), {
      path: ['ending_before'],
      message: 'send starting_after or ending_before, not both',
    });
}

const schemas = new Map<string, ReturnType<typeof listQuerySchemaFor>>();

/**
 * Parses `limit`, `starting_after` and `ending_before` of a list whose ids start with `prefix`,
 * as the contracts publish them; a list with filters of its own extends `listQuerySchema` in
 * the contracts and maps it with `toPageRequest`.
 */
export function parseListQuery(prefix: string, query: unknown): PageRequest {
  let schema = schemas.get(prefix);
  if (!schema) {
    schema = listQuerySchemaFor(prefix);
    schemas.set(prefix, schema);
  }
  const parsed = parseInput(schema, query);
  return {
    limit: parsed.limit,
    startingAfter: parsed.starting_after,
    endingBefore: parsed.ending_before,
  };
}
