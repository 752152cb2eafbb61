import type { ApiKeyResource, ProjectResource } from '@expe/contracts';

/** The dialog the developers page has open, with what it acts on. */
export type DeveloperDialog =
  | { kind: 'rename' | 'delete'; project: ProjectResource }
  | { kind: 'create-key'; project: ProjectResource }
  | { kind: 'revoke' | 'roll'; project: ProjectResource; key: ApiKeyResource }
  | { kind: 'secret'; key: ApiKeyResource }
  | null;
