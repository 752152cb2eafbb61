import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * `npx expe … --env-file F`: Node.js 20 reads `--env-file` anywhere on npx's own command line
 * (up to a `--`), so the npx process itself dies with `node: F: not found` before the CLI starts
 * when F does not exist yet — exactly the CI job of docs/sandboxes.md, whose first command
 * creates the file. `npx -- expe …` ends npx's (and Node's) options first. These tests hold the
 * docs to that spelling and show that it reaches the CLI.
 */

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('npx and --env-file', () => {
  it('when a doc runs `npx expe` with --env-file, then it writes `npx -- expe` (Node 20 would take the option for npx)', () => {
    const docs = execFileSync('git', ['ls-files', '-z', '--', '*.md'], {
      cwd: repoRoot,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((path) => path !== '' && existsSync(join(repoRoot, path)));
    // Commands, not prose: the lines of fenced blocks (prose may name the wrong form to explain it).
    const commandLines = (path: string) => {
      let fenced = false;
      return readFileSync(join(repoRoot, path), 'utf8')
        .split('\n')
        .map((line, index) => ({ where: `${path}:${index + 1}`, line }))
        .filter(({ line }) => {
          if (line.trimStart().startsWith('```')) fenced = !fenced;
          return fenced;
        });
    };
    const offending = docs
      .flatMap(commandLines)
      .filter(({ line }) => /\bnpx expe\b/.test(line) && /--env-file\b/.test(line));
    expect(offending.map(({ where, line }) => `${where}: ${line.trim()}`)).toEqual([]);
  });

  it('when `npx -- expe sandbox create --env-file F` runs and F does not exist yet, then the CLI itself answers (not node)', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'expe-npx-')), 'ci.env');
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development' };
    // Without credentials the CLI stops at its own first check: proof that it started and read
    // the rest of the line as its own options.
    delete env.EXPE_EMAIL;
    delete env.EXPE_PASSWORD;
    delete env.EXPE_ACCESS_TOKEN;
    const failure = await promisify(execFile)(
      'npx',
      ['--', 'expe', 'sandbox', 'create', '--ttl', '90s', '--env-file', missing],
      { cwd: repoRoot, env },
    ).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );

    expect(failure?.stderr).toContain('expe sandbox signs in as the merchant');
    expect(failure?.stderr).not.toContain('not found');
    expect(existsSync(missing)).toBe(false);
  });
});
