import { AppError } from '@expe/server-kit';
import type { MetadataUpdate } from '@expe/contracts';

const maxKeys = 50;

/**
 * Stripe's rules for metadata in an update: the keys named merge into the current ones, a key
 * set to "" is removed, `null` (the API's `""` or null) removes every key. `undefined` when the
 * update does not touch metadata. The 50-key limit applies to the result: 400 naming `metadata`.
 */
export function mergeMetadata(
  current: Record<string, string>,
  update: MetadataUpdate | undefined,
): Record<string, string> | undefined {
  if (update === undefined) return undefined;
  if (update === null) return {};
  const merged = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (value === '') delete merged[key];
    else merged[key] = value;
  }
  if (Object.keys(merged).length > maxKeys) {
    throw AppError.of(
      'parameter_invalid',
      `Invalid metadata: an object can have at most ${maxKeys} keys`,
      { param: 'metadata' },
    );
  }
  return merged;
}
