import type {
  ApiKeyResource,
  MerchantResource,
  Mode,
  ProjectResource,
  z,
  merchantStatsSchema,
} from '@expe/contracts';
import { api, type ListPage } from '../../lib/api';

export type MerchantStats = z.infer<typeof merchantStatsSchema>;

export const merchantKeysQuery = {
  projects: ['projects'] as const,
  apiKeys: (projectId: string) => ['projects', projectId, 'api_keys'] as const,
  stats: (mode: Mode) => ['merchant', 'stats', mode] as const,
  profile: ['merchant', 'profile'] as const,
};

export const getMerchant = () => api<MerchantResource>('/v1/merchants/me');
export const updateMerchant = (name: string) =>
  api<MerchantResource>('/v1/merchants/me', { method: 'POST', body: { name } });
export const getStats = (mode: Mode) =>
  api<MerchantStats>('/v1/merchants/me/stats', { query: { mode } });

export const listProjects = () =>
  api<ListPage<ProjectResource>>('/v1/projects', { query: { limit: 100 } });
export const createProject = (name: string) =>
  api<ProjectResource>('/v1/projects', { method: 'POST', body: { name } });
export const renameProject = (id: string, name: string) =>
  api<ProjectResource>(`/v1/projects/${id}`, { method: 'POST', body: { name } });
export const deleteProject = (id: string) =>
  api<unknown>(`/v1/projects/${id}`, { method: 'DELETE' });

export const listApiKeys = (projectId: string) =>
  api<ListPage<ApiKeyResource>>(`/v1/projects/${projectId}/api_keys`, { query: { limit: 100 } });
export const createApiKey = (projectId: string, name: string, mode: Mode) =>
  api<ApiKeyResource>(`/v1/projects/${projectId}/api_keys`, {
    method: 'POST',
    body: { name, mode },
  });
export const revokeApiKey = (projectId: string, keyId: string) =>
  api<ApiKeyResource>(`/v1/projects/${projectId}/api_keys/${keyId}`, { method: 'DELETE' });
export const rollApiKey = (projectId: string, keyId: string, expiresIn: number) =>
  api<ApiKeyResource>(`/v1/projects/${projectId}/api_keys/${keyId}/roll`, {
    method: 'POST',
    body: { expires_in: expiresIn },
  });
