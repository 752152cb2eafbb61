import { parseListQuery, parseInput, toPageRequest, type PageRequest } from '@expe/server-kit';
import {
  listCursorsOf as cursorsOf,
  listCustomersQuerySchema,
  listQrCodesQuerySchema,
  oneCursorDirection as oneDirection,
} from '@expe/contracts';

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
  return parseListQuery(prefix, query);
}
