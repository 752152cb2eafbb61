/**
 * The test files that need the Kubernetes tools (etcd, kube-apiserver, kubectl, helm, built from
 * Go modules on a machine's first run). They form a Vitest project of their own that runs after
 * every other test file, so on a new machine `npm test` starts at once and the tools build in the
 * background while the rest of the suite runs; each of these files first waits for them
 * (test/support/kubernetes-tools.setup.ts). test/kubernetes-tests.test.ts keeps this list true:
 * any test file that starts a control plane or renders a chart must be under one of these paths.
 */
export const kubernetesTestPaths = [
  'packages/kube-harness/test/',
  'operator/test/',
  'test/charts/',
  'test/tilt-sim.test.ts',
] as const;

/** The same paths as Vitest include patterns. */
export const kubernetesTestGlobs = kubernetesTestPaths.map((path) =>
  path.endsWith('/') ? `${path}**/*.test.ts` : path,
);

/** The functions that need the tools: each builds or waits for them when they are missing. */
export const toolFunctions = ['startControlPlane', 'ensureKubeBinaries', 'findHelm'] as const;

/** The first call of one of `toolFunctions` in a source file, if any. */
export function toolCallIn(source: string): string | undefined {
  return new RegExp(`\\b(${toolFunctions.join('|')})\\(`).exec(source)?.[0];
}

export function isKubernetesTest(path: string): boolean {
  return kubernetesTestPaths.some((prefix) =>
    prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix,
  );
}
