// Compares V8 heap snapshots by constructor (`node --heapsnapshot-signal=SIGUSR2`, or
// BENCH_HEAP_SNAPSHOTS=DIR with `npm run bench` and BENCH_SOAK=1): for each constructor, the
// objects and their own (shallow) bytes in each snapshot and the change from the first, largest
// growth first — Chrome DevTools' "Comparison" view, in a terminal.
//   node --import tsx scripts/bench/heap-diff.ts BEFORE.heapsnapshot [AFTER.heapsnapshot…] [--top 20]
// Objects are grouped by constructor name; everything else by its V8 node type, in parentheses
// (`(string)`, `(array)`, `(code)`, `(closure)`, …), as DevTools groups them.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}
interface Group {
  count: number;
  bytes: number;
}

const args = process.argv.slice(2);
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 20;
const files = args.filter((_, i) => topIndex < 0 || (i !== topIndex && i !== topIndex + 1));
if (files.length === 0) {
  process.stderr.write(
    'usage: heap-diff.ts BEFORE.heapsnapshot [AFTER.heapsnapshot…] [--top 20]\n',
  );
  process.exit(2);
}

function groups(file: string): Map<string, Group> {
  const { snapshot, nodes, strings } = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snapshot.meta.node_fields;
  const types = snapshot.meta.node_types[0];
  const stride = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const byName = new Map<string, Group>();
  for (let i = 0; i < nodes.length; i += stride) {
    const type = types[nodes[i + typeAt]!]!;
    const name =
      type === 'object' || type === 'native' ? strings[nodes[i + nameAt]!]! : `(${type})`;
    const group = byName.get(name) ?? { count: 0, bytes: 0 };
    group.count += 1;
    group.bytes += nodes[i + sizeAt]!;
    byName.set(name, group);
  }
  return byName;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const signed = (n: number, format: (n: number) => string = String) =>
  `${n >= 0 ? '+' : '-'}${format(Math.abs(n))}`;
const total = (g: Map<string, Group>) =>
  [...g.values()].reduce(
    (sum, { count, bytes }) => ({ count: sum.count + count, bytes: sum.bytes + bytes }),
    {
      count: 0,
      bytes: 0,
    },
  );

const snapshots = files.map((file) => ({ file, groups: groups(file) }));
const first = snapshots[0]!;
const firstTotal = total(first.groups);
process.stdout.write(
  `${basename(first.file)}: ${firstTotal.count} objects, ${kib(firstTotal.bytes)}\n`,
);
if (snapshots.length === 1) {
  const rows = [...first.groups].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top);
  for (const [name, g] of rows)
    process.stdout.write(
      `  ${kib(g.bytes).padStart(10)} ${String(g.count).padStart(9)}  ${name}\n`,
    );
}
for (const later of snapshots.slice(1)) {
  const laterTotal = total(later.groups);
  process.stdout.write(
    `\n${basename(later.file)}: ${laterTotal.count} objects (${signed(laterTotal.count - firstTotal.count)}), ${kib(laterTotal.bytes)} (${signed(laterTotal.bytes - firstTotal.bytes, kib)}) against ${basename(first.file)}\n`,
  );
  process.stdout.write(
    `  ${'Δ size'.padStart(11)} ${'Δ count'.padStart(9)} ${'size'.padStart(10)} ${'count'.padStart(9)}  constructor\n`,
  );
  const names = new Set([...first.groups.keys(), ...later.groups.keys()]);
  const rows = [...names]
    .map((name) => {
      const a = first.groups.get(name) ?? { count: 0, bytes: 0 };
      const b = later.groups.get(name) ?? { count: 0, bytes: 0 };
      return { name, b, bytes: b.bytes - a.bytes, count: b.count - a.count };
    })
    .sort((x, y) => Math.abs(y.bytes) - Math.abs(x.bytes))
    .slice(0, top);
  for (const row of rows)
    process.stdout.write(
      `  ${signed(row.bytes, kib).padStart(11)} ${signed(row.count).padStart(9)} ${kib(row.b.bytes).padStart(10)} ${String(row.b.count).padStart(9)}  ${row.name}\n`,
    );
}
