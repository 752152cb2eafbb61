// Prints where the CPU went in V8 CPU profiles (`node --cpu-prof`, or BENCH_CPU_PROF=DIR with
// `npm run bench`): per profile, the functions with the most self time and the same grouped by
// package, as shares of all samples.
//   node --import tsx scripts/bench/profile-top.ts DIR_OR_FILES… [--top 25] [--last SECONDS] [--busy]
// --last keeps only the samples of the profile's last SECONDS (the load, not the start-up);
// --busy leaves out the idle samples, so the shares are of the CPU time spent.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  /** Microseconds between samples (the first from startTime). */
  timeDeltas: number[];
  endTime: number;
  startTime: number;
}

const args = process.argv.slice(2);
const optionValue = (name: string) => {
  const index = args.indexOf(name);
  return index >= 0 ? Number(args[index + 1]) : undefined;
};
const top = optionValue('--top') ?? 25;
const lastSeconds = optionValue('--last');
const isBusyOnly = args.includes('--busy');
const inputs = args.filter(
  (arg, i) =>
    !arg.startsWith('--') && !['--top', '--last'].includes(args[i - 1] ?? '') && arg !== '',
);
const files = inputs.flatMap((input) =>
  statSync(input).isDirectory()
    ? readdirSync(input)
        .filter((name) => name.endsWith('.cpuprofile'))
        .map((name) => join(input, name))
    : [input],
);

function packageOf(url: string): string {
  if (!url) return '(native / V8)';
  if (url.startsWith('node:')) return url.split('/')[0] ?? url;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  const workspace = /\/(packages|services|operator|web)\/([^/]+)\//.exec(url);
  return workspace ? `@expe/${workspace[2]}` : url;
}

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfSamples = new Map<number, number>();
  const from = lastSeconds === undefined ? -Infinity : profile.endTime - lastSeconds * 1e6;
  let at = profile.startTime;
  let total = 0;
  profile.samples.forEach((id, index) => {
    at += profile.timeDeltas[index] ?? 0;
    if (at < from) return;
    if (isBusyOnly && byId.get(id)?.callFrame.functionName === '(idle)') return;
    selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
    total += 1;
  });
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const [id, count] of selfSamples) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const where = url
      ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(packages|services)\//, '$1/')}:${lineNumber + 1}`
      : '';
    const name = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + count);
    const pkg = packageOf(url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + count);
  }
  const show = (title: string, entries: Map<string, number>) => {
    process.stdout.write(`  ${title}\n`);
    for (const [name, count] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      process.stdout.write(`    ${((count / total) * 100).toFixed(1).padStart(5)} %  ${name}\n`);
    }
  };
  process.stdout.write(`${basename(file)} — ${total} samples\n`);
  show('self time by function', byFunction);
  show('self time by package', byPackage);
}
