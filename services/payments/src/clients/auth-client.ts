import {
  AppError,
  createServiceClient,
  type IdentitySigner,
  type ServiceResponse,
} from '@expe/server-kit';
import type { DirectoryUser, UserDirectory } from '../shared/domain/context.js';
import { cachedLookup } from './cached-lookup.js';

const cacheTtlMs = 30_000;

/** The auth service's internal user lookups, called as service `payments`. */
export function createAuthClient(options: {
  baseUrl: string;
  signer: IdentitySigner;
}): UserDirectory {
  const call = createServiceClient({ ...options, audience: 'auth' });

  const read = async (
    request: () => Promise<ServiceResponse<unknown>>,
    what: string,
  ): Promise<DirectoryUser | undefined> => {
    const response = await request().catch((error: unknown) => {
      if (error instanceof AppError) throw error;
      throw unavailable(error);
    });
    if (response.status === 404) return undefined;
    if (response.status !== 200 || !isUser(response.body)) {
      throw unavailable(new Error(`${what} answered ${response.status}`));
    }
    return response.body;
  };

  const getUser = cachedLookup(
    (id) =>
      read(
        () => call('GET', `/internal/users/${encodeURIComponent(id)}`),
        'GET /internal/users/:id',
      ),
    { ttlMs: cacheTtlMs },
  );
  const resolveHandle = cachedLookup(
    (handle) =>
      read(
        () => call('POST', '/internal/users/resolve', { handle }),
        'POST /internal/users/resolve',
      ),
    { ttlMs: cacheTtlMs },
  );
  return { getUser, resolveHandle: (handle) => resolveHandle(handle.trim().toLowerCase()) };
}

function isUser(body: unknown): body is DirectoryUser {
  const user = body as Partial<DirectoryUser> | undefined;
  return (
    typeof user?.id === 'string' &&
    typeof user.email === 'string' &&
    typeof user.name === 'string' &&
    typeof user.vpa === 'string'
  );
}

const unavailable = (cause: unknown) =>
  AppError.of('upstream_unavailable', 'The user directory did not answer; try again', { cause });
