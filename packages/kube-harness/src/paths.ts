import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in packages/kube-harness/src or dist). */
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The CRDs' single source of truth: the operator chart's crds/ folder. */
export const crdDirectory = fileURLToPath(
  new URL('../../../charts/expe-operator/crds/', import.meta.url),
);

export const chartsDirectory = fileURLToPath(new URL('../../../charts/', import.meta.url));
