import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * scripts/bench/heap-diff.ts is how docs/performance.md tells a leak from a high-water mark:
 * given two heap snapshots of a process, it must show the objects the process kept in between
 * under their constructor, with their count.
 */

const root = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'heap-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A small process that keeps 1,000 objects of its own class between its two snapshots.
const keepsObjects = `
  const { writeHeapSnapshot } = require('node:v8');
  class KeptBetweenSnapshots { constructor(i) { this.i = i; } }
  const kept = [];
  writeHeapSnapshot(process.argv[1]);
  for (let i = 0; i < 1000; i++) kept.push(new KeptBetweenSnapshots(i));
  writeHeapSnapshot(process.argv[2]);
  globalThis.kept = kept;
`;

describe('heap-diff', () => {
  it('shows the objects kept between two snapshots under their constructor', () => {
    const before = join(dir, 'before.heapsnapshot');
    const after = join(dir, 'after.heapsnapshot');
    execFileSync(process.execPath, ['-e', keepsObjects, before, after]);

    const output = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/bench/heap-diff.ts', before, after, '--top', '10'],
      { cwd: root, encoding: 'utf8' },
    );

    const row = output.split('\n').find((line) => line.endsWith('  KeptBetweenSnapshots'));
    expect(row, output).toBeDefined();
    // Δ size, Δ count, size, count: 1,000 more objects than before, 1,000 in all.
    expect(row!.trim().split(/\s+/).slice(2, 3)).toEqual(['+1000']);
    expect(row!.trim().split(/\s+/).at(-2)).toBe('1000');
  });
});
