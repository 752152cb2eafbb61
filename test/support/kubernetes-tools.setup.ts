/**
 * Setup file of the `kubernetes` test project: waits until the tools its files need are built.
 * `npm test` starts their build in the background on a machine that lacks them (as `.ci/run`
 * does); this waits on the build's lock — a setup file is imported before the test file is
 * collected, where no hook timeout applies — or builds them itself when nothing else is.
 */
import { ensureKubeBinaries, toolSets } from '@expe/kube-harness';

await ensureKubeBinaries({ tools: toolSets.tests });
