import type { Scope } from '@expe/server-kit';

/**
 * A new scoped row as a use case describes it: without its owner, project and mode, which the
 * repository takes from the `Scope` (issue 19), so no insert can name another project.
 */
export type Unscoped<Row> = Omit<Row, 'merchantId' | 'projectId' | 'mode'>;

/** The columns every scoped row gets from its scope. */
export function scopeColumns(scope: Scope) {
  return { merchantId: scope.merchantId, projectId: scope.projectId, mode: scope.mode };
}
