/**
 * On a new machine `npm test` starts before the Kubernetes tools are built; only the Vitest
 * project `kubernetes` waits for them. A test file that needs the tools but runs in another project
 * would find them missing on that machine and start a second build mid-suite, or time out in its
 * `beforeAll`. This keeps the family closed: every test file that reaches a call needing the
 * tools — itself or through the files it imports by relative path — runs in the `kubernetes`
 * project, as Vitest itself lists the projects.
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { isKubernetesTest, toolCallIn } from './support/kubernetes-tests.js';

const root = join(import.meta.dirname, '..');

function testFiles(): string[] {
  return ['packages', 'services', 'operator', 'platform', 'test'].flatMap((top) =>
    readdirSync(join(root, top), { recursive: true, encoding: 'utf8' })
      .map((path) => join(top, path))
      .filter((path) => path.endsWith('.test.ts'))
      .filter((path) => !/(^|\/)(node_modules|dist)\//.test(path))
      .filter((path) => !path.startsWith('test/cluster/')),
  );
}

/** Relative imports of a TypeScript file, as repository paths (`./x.js` → `dir/x.ts`). */
function relativeImports(path: string, source: string): string[] {
  return [...source.matchAll(/from\s+'(\.{1,2}\/[^']+)'/g)].map(([, specifier]) =>
    normalize(join(dirname(path), specifier!.replace(/\.js$/, '.ts'))),
  );
}

/** The first call needing the tools that `path` reaches, with the chain of files to it. */
function reachesToolCall(path: string, seen = new Set<string>()): string[] | undefined {
  if (seen.has(path)) return undefined;
  seen.add(path);
  let source: string;
  try {
    source = readFileSync(join(root, path), 'utf8');
  } catch {
    return undefined; // Not a TypeScript source (a JSON fixture, say).
  }
  const call = toolCallIn(source);
  if (call) return [path, call];
  for (const imported of relativeImports(path, source)) {
    const chain = reachesToolCall(imported, seen);
    if (chain) return [path, ...chain];
  }
  return undefined;
}

describe('the test files that need the Kubernetes tools', () => {
  const needing = new Map(
    testFiles().flatMap((path) => {
      const chain = reachesToolCall(path);
      return chain ? [[path, chain.join(' → ')] as const] : [];
    }),
  );
  let listed: Map<string, string>;

  beforeAll(async () => {
    const { stdout } = await promisify(execFile)(
      'npx',
      ['vitest', 'list', '--filesOnly', '--project', 'node', '--project', 'kubernetes'],
      { cwd: root, env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' } },
    );
    listed = new Map(
      [...stdout.matchAll(/^\[(\w+)\] (\S+)$/gm)].map(([, project, file]) => [
        relative(root, join(root, file!)),
        project!,
      ]),
    );
  }, 60_000);

  it('are found: the control plane and chart tests are among them', () => {
    expect([...needing.keys()]).toEqual(
      expect.arrayContaining([
        'operator/test/operator.test.ts',
        'packages/kube-harness/test/control-plane.test.ts',
        'test/charts/charts-render.test.ts',
      ]),
    );
  });

  it('all lie under the paths of the kubernetes project', () => {
    const outside = [...needing].filter(([path]) => !isKubernetesTest(path));
    expect(outside.map(([, chain]) => chain)).toEqual([]);
  });

  it('all run in the kubernetes project, and none in the node project', () => {
    const misplaced = [...needing.keys()].filter((path) => listed.get(path) !== 'kubernetes');
    expect(misplaced.map((path) => `${path} (project ${listed.get(path) ?? 'none'})`)).toEqual([]);
    expect(listed.size).toBeGreaterThan(needing.size);
  });
});
