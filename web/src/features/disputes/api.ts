import type { DisputeResource, UpdateDisputeInput } from '@expe/contracts';
import { api, type ListPage } from '../../lib/api';

/** Query keys include the key id: another project or mode is another cache entry. */
export const disputeKeys = {
  all: ['disputes'] as const,
  list: (keyId: string, status: string, cursor?: string) =>
    ['disputes', keyId, 'list', status, cursor ?? 'first'] as const,
};

const withKey = (secret: string) => ({ bearer: secret });

export const listDisputes = (secret: string, status: string, startingAfter?: string) =>
  api<ListPage<DisputeResource>>('/v1/disputes', {
    auth: withKey(secret),
    query: { limit: 20, status: status || undefined, starting_after: startingAfter },
  });

export const submitEvidence = (secret: string, id: string, input: UpdateDisputeInput) =>
  api<DisputeResource>(`/v1/disputes/${id}`, {
    method: 'POST',
    body: input,
    auth: withKey(secret),
  });

export const closeDispute = (secret: string, id: string) =>
  api<DisputeResource>(`/v1/disputes/${id}/close`, { method: 'POST', auth: withKey(secret) });
