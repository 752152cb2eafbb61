import { idSchema, listQuerySchema } from '@expe/contracts';
import { parseInput } from '@expe/server-kit';
import type { PageRequest } from '@expe/server-kit';

/** The shared list query, with cursors that must be ids of the listed kind. */
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
