import {
  parseInput,
  parseListQuery,
  toPageRequest,
  type CreatedRange,
  type PageRequest,
} from '@expe/server-kit';
import {
  listBalanceTransactionsQuerySchema,
  listCursorsOf,
  listCustomersQuerySchema,
  listDisputesQuerySchema,
  listEventsQuerySchema,
  listPayoutsQuerySchema,
  listQrCodesQuerySchema,
  listPaymentsQuerySchema,
  listRefundsQuerySchema,
  listWalletTransactionsQuerySchema,
  modeSchema,
  oneCursorDirection,
  z,
} from '@expe/contracts';

// List queries are the contracts' schemas (cursors that are ids of the listed kind, one direction
// at a time): what the API documents is what it checks.

/**
 * Unix seconds name whole seconds, while rows keep milliseconds: `lte: t` must include a row
 * created at t.4 s, so it becomes "before t+1", and `gt: t` becomes "at least t+1".
 */
function toCreatedRange(
  range: Partial<Record<'gte' | 'gt' | 'lte' | 'lt', number | undefined>> | undefined,
): CreatedRange | undefined {
  if (!range) return undefined;
  const second = (seconds: number) => new Date(seconds * 1000);
  const atLeast = [range.gte, range.gt === undefined ? undefined : range.gt + 1];
  const before = [range.lt, range.lte === undefined ? undefined : range.lte + 1];
  return {
    atLeast: atLeast.filter((value) => value !== undefined).map(second),
    before: before.filter((value) => value !== undefined).map(second),
  };
}

export function parsePaymentsQuery(query: unknown) {
  const parsed = parseInput(listPaymentsQuerySchema, query);
  return {
    page: toPageRequest(parsed),
    status: parsed.status,
    created: toCreatedRange(parsed.created),
  };
}

export function parseRefundsQuery(query: unknown) {
  const parsed = parseInput(listRefundsQuerySchema, query);
  return { page: toPageRequest(parsed), paymentId: parsed.payment };
}

export function parseEventsQuery(query: unknown) {
  const parsed = parseInput(listEventsQuerySchema, query);
  return {
    page: toPageRequest(parsed),
    type: parsed.type,
    created: toCreatedRange(parsed.created),
  };
}

export function parseWalletTransactionsQuery(query: unknown) {
  const parsed = parseInput(listWalletTransactionsQuerySchema, query);
  return { page: toPageRequest(parsed), type: parsed.type };
}

/** A plain page of objects of one kind (`pm`, `plink`, `pay`): the kit's list query. */
export function parsePageQuery(query: unknown, prefix: string): PageRequest {
  return parseListQuery(prefix, query);
}

// Lists whose contracts still publish any string as a cursor: the ids of the kind are required
// here (as the contracts of payments, refunds, events and wallet transactions say).
const customersQuerySchema = listCustomersQuerySchema
  .extend(listCursorsOf('cus'))
  .refine(...oneCursorDirection);

export function parseCustomersQuery(query: unknown) {
  const parsed = parseInput(customersQuerySchema, query);
  return { page: toPageRequest(parsed), email: parsed.email?.toLowerCase() };
}

const qrCodesQuerySchema = listQrCodesQuerySchema
  .extend(listCursorsOf('qr'))
  .refine(...oneCursorDirection);

export function parseQrCodesQuery(query: unknown) {
  const parsed = parseInput(qrCodesQuerySchema, query);
  return { page: toPageRequest(parsed), status: parsed.status };
}

const balanceTransactionsQuerySchema = listBalanceTransactionsQuerySchema
  .extend(listCursorsOf('bt'))
  .refine(...oneCursorDirection);

export function parseBalanceTransactionsQuery(query: unknown) {
  const parsed = parseInput(balanceTransactionsQuerySchema, query);
  return { page: toPageRequest(parsed), type: parsed.type, source: parsed.source };
}

const payoutsQuerySchema = listPayoutsQuerySchema
  .extend(listCursorsOf('po'))
  .refine(...oneCursorDirection);

export function parsePayoutsQuery(query: unknown) {
  const parsed = parseInput(payoutsQuerySchema, query);
  return { page: toPageRequest(parsed), status: parsed.status };
}

const disputesQuerySchema = listDisputesQuerySchema
  .extend(listCursorsOf('dp'))
  .refine(...oneCursorDirection);

export function parseDisputesQuery(query: unknown) {
  const parsed = parseInput(disputesQuerySchema, query);
  return { page: toPageRequest(parsed), status: parsed.status, paymentId: parsed.payment };
}

export const statsQuerySchema = z.strictObject({ mode: modeSchema.default('test') });

/** The checkout page authenticates reads with the payment's client secret. */
export const clientSecretQuerySchema = z.strictObject({
  client_secret: z.string().min(10).max(200).optional(),
});

export const qrQuerySchema = clientSecretQuerySchema.extend({
  format: z.enum(['png', 'svg']).default('png'),
});

/** Endpoints without a body still refuse unknown parameters. */
export const emptyBodySchema = z.strictObject({});
