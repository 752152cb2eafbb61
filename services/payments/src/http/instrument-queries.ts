import { parseInput, type PageRequest } from '@expe/server-kit';
import {
  idSchema,
  listCustomersQuerySchema,
  listQrCodesQuerySchema,
  listQuerySchema,
} from '@expe/contracts';

/** Cursors must be ids of the listed kind, one direction at a time (as queries.ts does). */
const cursorsOf = (prefix: string) => ({
  starting_after: idSchema(prefix).optional(),
  ending_before: idSchema(prefix).optional(),
});

const oneDirection: [
  (query: { starting_after?: string | undefined; ending_before?: string | undefined }) => boolean,
  { path: string[]; message: string },
] = [
  (query) => !(query.starting_after && query.ending_before),
  { path: ['ending_before'], message: 'send starting_after or ending_before, not both' },
];

function toPageRequest(query: {
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

const customersQuerySchema = listCustomersQuerySchema
  .extend(cursorsOf('cus'))
  .refine(...oneDirection);
const qrCodesQuerySchema = listQrCodesQuerySchema.extend(cursorsOf('qr')).refine(...oneDirection);

export function parseCustomersQuery(query: unknown) {
  const parsed = parseInput(customersQuerySchema, query);
  return { page: toPageRequest(parsed), email: parsed.email?.toLowerCase() };
}

export function parseQrCodesQuery(query: unknown) {
  const parsed = parseInput(qrCodesQuerySchema, query);
  return { page: toPageRequest(parsed), status: parsed.status };
}

/** A plain page of objects of one kind (`pm`, `plink`, `pay`). */
export function parsePageQuery(query: unknown, prefix: string): PageRequest {
  const schema = listQuerySchema.extend(cursorsOf(prefix)).refine(...oneDirection);
  return toPageRequest(parseInput(schema, query));
}
