import { parseInput } from '@expe/server-kit';
import {
  idSchema,
  listPaymentsQuerySchema,
  listQuerySchema,
  listRefundsQuerySchema,
  listWalletTransactionsQuerySchema,
  modeSchema,
  z,
} from '@expe/contracts';
import type { CreatedRange, PageRequest } from '@expe/server-kit';

/** Cursors must be ids of the listed kind. */
export const cursorsOf = (prefix: string) => ({
  starting_after: idSchema(prefix).optional(),
  ending_before: idSchema(prefix).optional(),
});

/** One direction at a time. */
export const oneDirection: [
  (query: { starting_after?: string | undefined; ending_before?: string | undefined }) => boolean,
  { path: string[]; message: string },
] = [
  (query) => !(query.starting_after && query.ending_before),
  { path: ['ending_before'], message: 'send starting_after or ending_before, not both' },
];

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

const unixSecondsSchema = z.coerce.number().int().nonnegative().max(253_402_300_799);

/** `created[gte]=…&created[lte]=…` in Unix seconds. */
const createdRangeSchema = z.strictObject({
  gte: unixSecondsSchema.optional(),
  gt: unixSecondsSchema.optional(),
  lte: unixSecondsSchema.optional(),
  lt: unixSecondsSchema.optional(),
});

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

const paymentsQuerySchema = listPaymentsQuerySchema
  .extend({ ...cursorsOf('pay'), created: createdRangeSchema.optional() })
  .refine(...oneDirection);

export function parsePaymentsQuery(query: unknown) {
  const parsed = parseInput(paymentsQuerySchema, query);
  return {
    page: toPageRequest(parsed),
    status: parsed.status,
    created: toCreatedRange(parsed.created),
  };
}

const refundsQuerySchema = listRefundsQuerySchema.extend(cursorsOf('re')).refine(...oneDirection);

export function parseRefundsQuery(query: unknown) {
  const parsed = parseInput(refundsQuerySchema, query);
  return { page: toPageRequest(parsed), paymentId: parsed.payment };
}

const eventsQuerySchema = listQuerySchema
  .extend({
    ...cursorsOf('evt'),
    type: z
      .string()
      .max(100)
      .regex(
        /^[a-z_]+(\.[a-z_]+)*(\.\*)?$/,
        'must be an event type such as payment.succeeded or payment.*',
      )
      .optional(),
    created: createdRangeSchema.optional(),
  })
  .refine(...oneDirection);

export function parseEventsQuery(query: unknown) {
  const parsed = parseInput(eventsQuerySchema, query);
  return {
    page: toPageRequest(parsed),
    type: parsed.type,
    created: toCreatedRange(parsed.created),
  };
}

const walletTransactionsQuerySchema = listWalletTransactionsQuerySchema
  .extend(cursorsOf('le'))
  .refine(...oneDirection);

export function parseWalletTransactionsQuery(query: unknown) {
  const parsed = parseInput(walletTransactionsQuerySchema, query);
  return { page: toPageRequest(parsed), type: parsed.type };
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
