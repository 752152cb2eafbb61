import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JS module of the ESLint config, without types.
import * as boundaries from '../eslint.boundaries.js';

/**
 * ARCHITECTURE.md is the map of the code: these tests hold it to the tree it maps, so it cannot
 * drift. Its layout table names every workspace and every top-level folder, its lint table every
 * rule of eslint.boundaries.js, and every file it cites is in the repository.
 */

const { boundaryBlocks, serverOnlyPackages } = boundaries as {
  boundaryBlocks: Array<{ files: string[]; ignores?: string[]; rules: Record<string, unknown> }>;
  serverOnlyPackages: string[];
};

const root = resolve(import.meta.dirname, '..');
const architecture = readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8');

const gitFiles = (...options: string[]) =>
  execFileSync('git', ['ls-files', '-z', ...options], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter((path) => path !== '' && existsSync(join(root, path)));

/** Committed files: what must have its row (a package still being written has none yet). */
const committedFiles = gitFiles('--cached');
/** Files a row or a citation may name: committed, or new and not ignored (about to be). */
const repositoryFiles = gitFiles('--cached', '--others', '--exclude-standard');

/** The rows of the markdown table under `## <heading>`, each as its cells. */
function tableUnder(heading: string): string[][] {
  const start = architecture.indexOf(`\n## ${heading}\n`);
  expect(start, `ARCHITECTURE.md has a "## ${heading}" section`).toBeGreaterThan(-1);
  const end = architecture.indexOf('\n## ', start + 1);
  const rows = architecture
    .slice(start, end === -1 ? undefined : end)
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
  return rows.slice(2); // the header and its separator
}

/** Inline code of markdown text: `x`, on one line, outside fenced blocks. */
const codeSpans = (text: string) =>
  [...text.replace(/^```[^]*?^```/gm, '').matchAll(/`([^`\n]+)`/g)].map((match) => match[1]!);

/** `packages/*` → every folder under packages/ with a package.json. */
function workspaces(): string[] {
  const { workspaces: patterns } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    workspaces: string[];
  };
  return patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`)
      .filter((path) => committedFiles.includes(`${path}/package.json`));
  });
}

describe('ARCHITECTURE.md against the tree', () => {
  describe('the code layout table', () => {
    const layout = tableUnder('Code layout').map(([path]) => {
      const [span] = codeSpans(path ?? '');
      return (span ?? path ?? '').replace(/\/$/, '');
    });

    it('when a workspace exists (root package.json "workspaces"), then the table has a row for it', () => {
      const missing = workspaces().filter((workspace) => !layout.includes(workspace));
      expect(missing, 'workspaces with no row in ARCHITECTURE.md "Code layout"').toEqual([]);
    });

    it('when the repository has a top-level folder, then a row names it or a part of it', () => {
      const folders = new Set(
        committedFiles.filter((path) => path.includes('/')).map((path) => path.split('/')[0]!),
      );
      const missing = [...folders].filter(
        (folder) => !layout.some((path) => path === folder || path.startsWith(`${folder}/`)),
      );
      expect(missing, 'folders with no row in ARCHITECTURE.md "Code layout"').toEqual([]);
    });

    it('when the table names a path, then it is in the repository', () => {
      const absent = layout.filter(
        (path) => !repositoryFiles.some((file) => file === path || file.startsWith(`${path}/`)),
      );
      expect(absent, 'rows of ARCHITECTURE.md "Code layout" naming no repository path').toEqual([]);
    });
  });

  describe('the payments modules table', () => {
    const paymentsSrc = join(root, 'services/payments/src');
    const rows = tableUnder('Payments in modules').map(([folder = '', , entry = '']) => ({
      folder: (codeSpans(folder)[0] ?? folder).replace(/\/$/, ''),
      entry,
    }));
    const folders = readdirSync(paymentsSrc, { withFileTypes: true })
      .filter((item) => item.isDirectory())
      .map((item) => item.name);

    it('when services/payments/src has a folder, then the table has its row, and a row names a folder that exists', () => {
      expect(rows.map((row) => row.folder).sort()).toEqual([...folders].sort());
    });

    it('when a module has an index.ts, then its row names it as the public entry, and only then', () => {
      for (const { folder, entry } of rows) {
        const hasEntry = existsSync(join(paymentsSrc, folder, 'index.ts'));
        expect(codeSpans(entry).includes('index.ts'), `${folder}/ public entry`).toBe(hasEntry);
      }
    });

    it('when payments keeps use cases, routes or repositories, then they live in a module, not in src/domain, src/http or a repository in src/db', () => {
      const strays = committedFiles.filter(
        (path) =>
          /^services\/payments\/src\/(domain|http)\//.test(path) ||
          /^services\/payments\/src\/db\/[^/]*-repository\.ts$/.test(path),
      );
      expect(strays).toEqual([]);
    });
  });

  describe('the lint table', () => {
    /**
     * A block repeated per service is one row: `services/payments/src/**` → `services/*\/src/**`
     * when every service has it, `services/{payments,webhooks}/src/**` when only those do.
     */
    const services = readdirSync(join(root, 'services'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    const serviceOf = (glob: string) => /^services\/([^/*{]+)\//.exec(glob)?.[1];
    const anyService = (glob: string) => glob.replace(/^services\/[^/*{]+\//, 'services/SERVICE/');
    /** The rule and globs of a block with its service left out, and the services that have it. */
    const family = new Map<string, Set<string>>();
    const shapeOf = (block: (typeof boundaryBlocks)[number]) =>
      JSON.stringify([
        Object.keys(block.rules),
        block.files.map(anyService),
        (block.ignores ?? []).map(anyService),
      ]);
    for (const block of boundaryBlocks) {
      const service = serviceOf(block.files[0] ?? '');
      if (!service) continue;
      const shape = shapeOf(block);
      family.set(shape, (family.get(shape) ?? new Set()).add(service));
    }
    /** One line per rule and the files it governs, in a form both sides can be written in. */
    const entry = (rule: string, files: string[], ignores: string[]) =>
      `${rule} on ${[...new Set(files)].sort().join(', ')}` +
      (ignores.length ? ` except ${[...new Set(ignores)].sort().join(', ')}` : '');

    const configured = new Set(
      boundaryBlocks.flatMap((block) => {
        const members = serviceOf(block.files[0] ?? '') ? family.get(shapeOf(block)) : undefined;
        const name = !members
          ? undefined
          : members.size === services.length
            ? '*'
            : `{${[...members].sort().join(',')}}`;
        const generic = (glob: string) => (name ? anyService(glob).replace('SERVICE', name) : glob);
        return Object.keys(block.rules).map((rule) =>
          entry(rule, block.files.map(generic), (block.ignores ?? []).map(generic)),
        );
      }),
    );
    const rows = tableUnder('Boundaries the linter keeps');
    /** A row: what it keeps, the ESLint rule id, the files (and exceptions) as globs, refused. */
    const documented = new Set(
      rows.flatMap(([what = '', rule = '', files = '']) => {
        const [governed = '', excepted = ''] = files.split(/\bexcept\b/);
        const ruleIds = codeSpans(rule);
        if (ruleIds.length === 0) return [`a row with no rule id: ${what}`];
        return ruleIds.map((id) => entry(id, codeSpans(governed), codeSpans(excepted)));
      }),
    );

    it('when eslint.boundaries.js has a rule, then the table has its row with the files it governs', () => {
      expect([...configured].filter((rule) => !documented.has(rule))).toEqual([]);
    });

    it('when the table has a row, then eslint.boundaries.js configures that rule on those files', () => {
      expect([...documented].filter((rule) => !configured.has(rule))).toEqual([]);
    });

    it('when a package is server-only for the browser rule, then the table refuses it by name', () => {
      const browserRow = rows.find(([rule]) => /browser/i.test(rule ?? ''));
      const refused = codeSpans(browserRow?.[3] ?? '');
      expect(serverOnlyPackages.filter((name) => !refused.includes(name))).toEqual([]);
    });
  });

  it('when the page cites a file or a folder, then it is in the repository', () => {
    const tracked = new Set(repositoryFiles);
    const folders = new Set(
      repositoryFiles.flatMap((path) =>
        path
          .split('/')
          .slice(0, -1)
          .map((_, index, parts) => parts.slice(0, index + 1).join('/')),
      ),
    );
    const topLevel = new Set([...folders].map((folder) => folder.split('/')[0]!));
    const names = new Set(repositoryFiles.map((path) => basename(path)));
    /** Built or generated, so absent from the repository by design (`web/dist`). */
    const ignored = (path: string) =>
      [path, `${path}/`].some((candidate) => {
        try {
          execFileSync('git', ['check-ignore', '-q', candidate], { cwd: root, stdio: 'ignore' });
          return true;
        } catch {
          return false;
        }
      });

    const cited = [
      ...codeSpans(architecture),
      ...[...architecture.matchAll(/\]\(([^)\s#]+)(#[^)]*)?\)/g)].map((match) => match[1]!),
    ].filter((span) => !/^[a-z]+:/.test(span) && !/[\s<>*{}…$]/.test(span));

    const missing = cited.filter((span) => {
      const path = span.replace(/\/$/, '');
      const first = path.split('/')[0]!;
      if (path.includes('/') && topLevel.has(first)) {
        return !tracked.has(path) && !folders.has(path) && !ignored(path);
      }
      // A file named without its folder (`requeue-overdue-deliveries.ts`) is somewhere.
      if (!path.includes('/') && /\.(ts|tsx|js|mjs|sql|md|json|yaml)$/.test(path)) {
        return !names.has(path) && !tracked.has(path);
      }
      // Inside every service or workspace (`src/domain/resources.ts`).
      if (/^(src|migrations|test|e2e)\//.test(path)) {
        return !repositoryFiles.some(
          (file) => file.endsWith(`/${path}`) || file.includes(`/${path}/`),
        );
      }
      return false;
    });
    expect(missing, 'paths ARCHITECTURE.md cites that are not in the repository').toEqual([]);
  });
});

describe("README.md's architecture table against the tree", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Architecture\n');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
  const ports = new Map(rows.map(([name, port]) => [codeSpans(name ?? '')[0] ?? '', port ?? '']));

  it('when a service, the web app or the operator exists, then the table has its row, with the port its config defaults to', () => {
    expect(start, 'README.md has a "## Architecture" section').toBeGreaterThan(-1);
    const services = readdirSync(join(root, 'services'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `services/${entry.name}`);
    for (const deployable of [...services, 'web', 'operator', 'charts']) {
      expect(ports.has(deployable), `README.md "Architecture" has no row for ${deployable}`).toBe(
        true,
      );
    }
    for (const deployable of [...services, 'operator']) {
      const config = readFileSync(join(root, deployable, 'src/config.ts'), 'utf8');
      const [, port] = /PORT: portVar\((\d+)\)/.exec(config) ?? [];
      expect(port, `${deployable}/src/config.ts declares its default PORT`).toBeDefined();
      expect(ports.get(deployable), `README.md's port of ${deployable}`).toContain(port);
    }
  });
});
