import { authInternalApi } from '@expe/contracts';
import { AppError, createInternalClient, type IdentitySigner } from '@expe/server-kit';
import type { DirectoryUser, UserDirectory } from '../shared/domain/context.js';
import { cachedLookup } from './cached-lookup.js';

const cacheTtlMs = 30_000;

/** The auth service's internal user lookups (`authInternalApi`), called as service `payments`. */
export function createAuthClient(options: {
  baseUrl: string;
  signer: IdentitySigner;
}): UserDirectory {
  const auth = createInternalClient(authInternalApi, {
    ...options,
    unusable: ({ method, path, status, cause }) =>
      AppError.of('upstream_unavailable', 'The user directory did not answer; try again', {
        cause: cause ?? new Error(`${method} ${path} answered ${status}`),
      }),
  });
  const userOf = (answer: { status: 200; body: DirectoryUser } | { status: 404 }) =>
    answer.status === 404 ? undefined : answer.body;

  const getUser = cachedLookup(async (id) => userOf(await auth.getUser({ params: { id } })), {
    ttlMs: cacheTtlMs,
  });
  const resolveHandle = cachedLookup(
    async (handle) => userOf(await auth.resolveUser({ body: { handle } })),
    { ttlMs: cacheTtlMs },
  );
  return { getUser, resolveHandle: (handle) => resolveHandle(handle.trim().toLowerCase()) };
}
