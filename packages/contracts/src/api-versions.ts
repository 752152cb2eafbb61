/**
 * The versions of the public API (`Expe-Version: YYYY-MM-DD`). A request names the
 * version it was written against; without the header, its project's pinned version applies
 * (pinned when the project was created); every response says which version answered. Adding a
 * version is fine; removing one breaks the integrations pinned to it. So far the versions answer
 * alike: a version only changes what a breaking change would.
 */
export const apiVersions = ['2026-09-01', '2026-11-28'] as const;
export type ApiVersion = (typeof apiVersions)[number];

/** The version new projects are pinned to, and callers without a project get. */
export const latestApiVersion: ApiVersion = '2026-11-28';

/** Projects created before versions existed are pinned to the first one. */
export const firstApiVersion: ApiVersion = '2026-09-01';

export const apiVersionHeader = 'Expe-Version';

export function isApiVersion(value: string): value is ApiVersion {
  return (apiVersions as readonly string[]).includes(value);
}
