import { parseInput, toPageRequest, type CreatedRange, type PageRequest } from '@expe/server-kit';
import {
  listBalanceTransactionsQuerySchema,
  listCustomersQuerySchema,
  listDisputesQuerySchema,
  listEventsQuerySchema,
  listPaymentLinksQuerySchema,
  listPaymentMethodsQuerySchema,
  listPaymentsQuerySchema,
  listPayoutsQuerySchema,
  listQrCodePaymentsQuerySchema,
  listQrCodesQuerySchema,
  listRefundsQuerySchema,
  listWalletTransactionsQuerySchema,
  modeSchema,
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
    customerId: parsed.customer,
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
    types: parsed.types ?? (parsed.type ? [parsed.type] : undefined),
    created: toCreatedRange(parsed.created),
  };
}

export function parseWalletTransactionsQuery(query: unknown) {
  const parsed = parseInput(listWalletTransactionsQuerySchema, query);
  return { page: toPageRequest(parsed), type: parsed.type };
}

const pageQuerySchemas = {
  pm: listPaymentMethodsQuerySchema,
  plink: listPaymentLinksQuerySchema,
  pay: listQrCodePaymentsQuerySchema,
};

/**
 * A plain page of objects of one kind: a customer's saved cards (`pm`), payment links (`plink`)
 * and a QR code's payments (`pay`), each with the contracts' schema of that list.
 */
export function parsePageQuery(query: unknown, prefix: keyof typeof pageQuerySchemas): PageRequest {
  return toPageRequest(parseInput(pageQuerySchemas[prefix], query));
}

export function parseCustomersQuery(query: unknown) {
  const parsed = parseInput(listCustomersQuerySchema, query);
  return { page: toPageRequest(parsed), email: parsed.email?.toLowerCase() };
}

export function parseQrCodesQuery(query: unknown) {
  const parsed = parseInput(listQrCodesQuerySchema, query);
  return { page: toPageRequest(parsed), status: parsed.status };
}

export function parseBalanceTransactionsQuery(query: unknown) {
  const parsed = parseInput(listBalanceTransactionsQuerySchema, query);
  return { page: toPageRequest(parsed), type: parsed.type, source: parsed.source };
}

export function parsePayoutsQuery(query: unknown) {
  const parsed = parseInput(listPayoutsQuerySchema, query);
  return { page: toPageRequest(parsed), status: parsed.status };
}

export function parseDisputesQuery(query: unknown) {
  const parsed = parseInput(listDisputesQuerySchema, query);
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
