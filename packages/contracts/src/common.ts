import { z } from './zod.js';
import { errorCodes, errorTypes } from './errors.js';

/** Unix seconds, as Stripe sends them. */
export const timestampSchema = z.number().int().nonnegative().openapi({ example: 1764115200 });

export function idSchema(prefix: string) {
  return z
    .string()
    .regex(new RegExp(`^${prefix}_[0-9a-z]{10,40}$`), `must be an id starting with ${prefix}_`)
    .openapi({ example: `${prefix}_01kb3v4y7m9q2x8c5d6e7f8g9h` });
}

/** What a DELETE answers, as Stripe does: `{id, object, deleted: true}`. */
export function deletedObjectSchema<O extends string>(prefix: string, object: O) {
  return z.object({ id: idSchema(prefix), object: z.literal(object), deleted: z.literal(true) });
}

/** Test or live data: every scoped object, key and event is in one of them. */
export const modes = ['test', 'live'] as const;
export const modeSchema = z.enum(modes).openapi({ description: 'test or live data' });
export type Mode = z.infer<typeof modeSchema>;

export const errorObjectSchema = z
  .object({
    error: z.object({
      type: z.enum(errorTypes),
      code: z.enum(Object.keys(errorCodes) as [string, ...string[]]).or(z.string()),
      message: z.string(),
      param: z.string().optional(),
      request_id: z.string().optional(),
    }),
  })
  .openapi('Error');
export type ErrorObject = z.infer<typeof errorObjectSchema>;

/** Cursor pagination query shared by every list endpoint. */
export const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(10),
  starting_after: z.string().max(64).optional(),
  ending_before: z.string().max(64).optional(),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

/** A list's cursors are ids of the listed kind: `listQuerySchema.extend(listCursorsOf('pay'))`. */
export function listCursorsOf(prefix: string) {
  return {
    starting_after: idSchema(prefix).optional(),
    ending_before: idSchema(prefix).optional(),
  };
}

/** A list pages one direction at a time: `.refine(...oneCursorDirection)`. */
export const oneCursorDirection: [
  (query: { starting_after?: string | undefined; ending_before?: string | undefined }) => boolean,
  { path: string[]; message: string },
] = [
  (query) => !(query.starting_after && query.ending_before),
  { path: ['ending_before'], message: 'send starting_after or ending_before, not both' },
];

/** The query of a list with no filters of its own, whose ids start with `prefix`. */
export function listQueryOf(prefix: string) {
  return listQuerySchema.extend(listCursorsOf(prefix)).refine(...oneCursorDirection);
}

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({
    object: z.literal('list'),
    data: z.array(item),
    has_more: z.boolean(),
  });
}

export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .email('must be a valid email address')
  .transform((value) => value.toLowerCase());

export const nameSchema = z.string().trim().min(1, 'must not be empty').max(100);

/** An absolute http(s) URL with a host: never `javascript:`, `data:` or a relative path. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && Boolean(url.hostname);
  } catch {
    return false;
  }
}

/**
 * Keys an object built from user input must not have: `__proto__` would set the object's
 * prototype (so every parser drops it), `constructor` and `prototype` shadow what code reading
 * the object expects. Refused by name rather than dropped, so the client learns it.
 */
const reservedMetadataKeys = new Set(['__proto__', 'constructor', 'prototype']);

/** Metadata's keys (1 to 40 characters, none reserved) and values (up to 500 characters). */
const metadataRecordSchema = z.record(
  z
    .string()
    .min(1)
    .max(40)
    .refine((key) => !reservedMetadataKeys.has(key), 'is a reserved key'),
  z.string().max(500),
);

export const metadataSchema = metadataRecordSchema
  .refine((value) => Object.keys(value).length <= 50, 'must have at most 50 keys')
  .openapi({ description: 'Up to 50 string keys and values for your own use' });

/**
 * Metadata in an update, by Stripe's rules: the keys it names merge into the object's metadata,
 * a key set to "" is removed, and `""` or `null` for the whole of it removes every key. The limit
 * of 50 keys applies to the merged result (checked where it is merged).
 */
export const metadataUpdateSchema = z
  .preprocess((value) => (value === '' ? null : value), metadataRecordSchema.nullable())
  .openapi({
    description:
      'Merged into the existing metadata: a key set to "" is removed; "" or null removes every key. At most 50 keys in all.',
  });
export type MetadataUpdate = z.infer<typeof metadataUpdateSchema>;

/**
 * Seconds an old secret keeps working after it is replaced (an API key rolled, a webhook secret
 * rotated): 0 (stops now) up to 7 days; default 24 hours.
 */
export const secretGraceSecondsSchema = z
  .number()
  .int()
  .min(0)
  .max(7 * 24 * 3600)
  .default(24 * 3600);
