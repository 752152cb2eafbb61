import { parseInput, toPageRequest } from '@expe/server-kit';
import {
  listBalanceTransactionsQuerySchema,
  listCursorsOf as cursorsOf,
  listDisputesQuerySchema,
  listPayoutsQuerySchema,
  oneCursorDirection as oneDirection,
} from '@expe/contracts';

const balanceTransactionsQuerySchema = listBalanceTransactionsQuerySchema
  .extend(cursorsOf('bt'))
  .refine(...oneDirection);

export function parseBalanceTransactionsQuery(query: unknown) {
  const parsed = parseInput(balanceTransactionsQuerySchema, query);
  return { page: toPageRequest(parsed), type: parsed.type, source: parsed.source };
}

const payoutsQuerySchema = listPayoutsQuerySchema.extend(cursorsOf('po')).refine(...oneDirection);

export function parsePayoutsQuery(query: unknown) {
  const parsed = parseInput(payoutsQuerySchema, query);
  return { page: toPageRequest(parsed), status: parsed.status };
}

const disputesQuerySchema = listDisputesQuerySchema.extend(cursorsOf('dp')).refine(...oneDirection);

export function parseDisputesQuery(query: unknown) {
  const parsed = parseInput(disputesQuerySchema, query);
  return { page: toPageRequest(parsed), status: parsed.status, paymentId: parsed.payment };
}
