// Runs stripe-go's own per-resource client tests (the `client_test.go` files of the stripe-go
// module pinned in test/stripe-go/go.mod, taken from the Go module cache, never copied into
// this repository) against Expe's Stripe port. Two files are laid over the module with
// `go test -overlay`: stripe-go's `testing` package (stripe-mock's address and key become the
// port's and a fresh project's, testing.go here) and each client_test.go with its made-up ids
// replaced by real objects (ids.ts). Nothing else of the tests changes.
import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import Stripe from 'stripe';
import { madeUpIdPattern, madeUpIds, memo, type FixtureContext } from './ids.js';

/** The packages whose client tests are measured (issue 20's list), in stripe-go/v85. */
export const measuredPackages = [
  'paymentintent',
  'refund',
  'customer',
  'paymentmethod',
  'event',
  'webhookendpoint',
  'balance',
  'balancetransaction',
  'payout',
  'dispute',
  'charge',
  'checkout/session',
] as const;

const modulePath = 'github.com/stripe/stripe-go/v85';

export interface OwnTestResult {
  package: string;
  test: string;
  passed: boolean;
  /** Why it failed: the Stripe error's status and message, the panic, or the assertion. */
  reason?: string;
  /** What the test asserts, read from its source (most check little: see checksOf). */
  checks: string;
}

/**
 * What a test asserts beyond "no error, an object", so a pass is read for what it is: most of
 * stripe-go's client tests only check that the call succeeds and returns something.
 */
export function checksOf(body: string): string {
  const checks = ['no error'];
  if (/\.Next\(\)\)/.test(body)) checks.push('at least one item listed');
  const equals = [...body.matchAll(/assert\.Equal\(t, ([^\n]*)\)/g)].map((match) => match[1]);
  for (const equal of equals) checks.push(`Equal(${equal})`);
  return checks.join('; ');
}

export interface OwnTestRun {
  results: OwnTestResult[];
  /** Fixtures that are not a real object of their own (see ids.ts). */
  notes: string[];
  /** The made-up id → real id replacements, per test. */
  replacements: Record<string, Record<string, string>>;
}

const run = promisify(execFile);

async function goCommand(go: string, args: string[], cwd: string, env: Record<string, string>) {
  return run(go, args, {
    cwd,
    env: { ...process.env, GOFLAGS: '-mod=readonly', ...env },
    timeout: 600_000,
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string; message: string }) => ({
      code: error.code ?? 1,
      stdout: error.stdout ?? '',
      stderr: `${error.stderr ?? ''}\n${error.message}`,
    }),
  );
}

/**
 * The module, downloaded through the module proxy into the Go module cache, then copied once to
 * a directory of its own: `go test -overlay` replaces no file beneath the module cache. The copy
 * keeps its path from run to run, so Go's build cache compiles stripe-go once.
 */
async function stripeGoModule(go: string): Promise<string> {
  const pinned = join(import.meta.dirname, '..', 'stripe-go');
  const download = await goCommand(go, ['mod', 'download', '-json', modulePath], pinned, {});
  if (download.code !== 0) throw new Error(`go mod download ${modulePath}: ${download.stderr}`);
  const cached = (JSON.parse(download.stdout) as { Dir?: string }).Dir;
  if (!cached) throw new Error(`go mod download ${modulePath} gave no directory`);
  const copy = join(tmpdir(), 'expe-stripe-go-own', basename(cached));
  const done = join(copy, '.expe-copied');
  if (await stat(done).catch(() => undefined)) return copy;
  const partial = `${copy}.${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await cp(cached, partial, { recursive: true });
  await chmod(partial, 0o755);
  await writeFile(join(partial, '.expe-copied'), '');
  await rm(copy, { recursive: true, force: true });
  await rename(partial, copy);
  return copy;
}

/** `func TestX(t *testing.T) {…}` spans of a test file, by name. */
function testFunctions(source: string): { name: string; start: number; end: number }[] {
  const starts = [...source.matchAll(/^func (Test\w+)\(t \*testing\.T\) \{$/gm)];
  return starts.map((match, index) => ({
    name: match[1]!,
    start: match.index,
    end: starts[index + 1]?.index ?? source.length,
  }));
}

/** The test file with each test's made-up ids replaced; throws on an id ids.ts does not map. */
async function rewrite(
  pkg: string,
  source: string,
  context: FixtureContext,
  replacements: OwnTestRun['replacements'],
): Promise<string> {
  let rewritten = source.slice(0, testFunctions(source)[0]?.start ?? source.length);
  for (const test of testFunctions(source)) {
    let body = source.slice(test.start, test.end);
    const map = madeUpIds[pkg]?.[test.name] ?? {};
    for (const [madeUp, fixture] of Object.entries(map)) {
      if (!body.includes(`"${madeUp}"`)) {
        throw new Error(`ids.ts maps ${madeUp} in ${pkg}.${test.name}, which does not name it`);
      }
      const real = await memo(context, fixture);
      body = body.replaceAll(`"${madeUp}"`, JSON.stringify(real));
      (replacements[`${pkg}.${test.name}`] ??= {})[madeUp] = real;
    }
    const unmapped = [...body.matchAll(madeUpIdPattern)].map((match) => match[1]);
    if (unmapped.length > 0) {
      throw new Error(
        `${pkg}.${test.name} names ${unmapped.join(', ')}, which ids.ts does not map`,
      );
    }
    rewritten += body;
  }
  return rewritten;
}

interface GoTestEvent {
  Action: string;
  Package?: string;
  Test?: string;
  Output?: string;
}

/** The gist of a failed test's output: the Stripe error, the panic, or the first assertion. */
export function reasonOf(output: string): string {
  const status = /HTTPStatusCode:(\d+)/.exec(output)?.[1];
  const message = /Msg:"((?:[^"\\]|\\.)*)"/.exec(output)?.[1];
  // The port's 404 goes on to list what is served: the first sentence says it.
  if (status || message) return `${status ?? '?'} ${(message ?? '').split('. Served:')[0]}`.trim();
  const panic = /panic: (.*)/.exec(output)?.[1];
  if (panic) return `panic: ${panic}`;
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^(Error:|Messages:|expected|actual|Should be|Not equal)/i.test(line));
  return lines.slice(0, 3).join(' ').slice(0, 300) || output.trim().split('\n').slice(-3).join(' ');
}

/**
 * Runs the measured packages' client tests against the port. A package whose test panics
 * stops there (Go ends the test binary): its remaining tests run again without the ones done.
 */
export async function runStripeGoOwnTests(options: {
  go: string;
  stripeUrl: string;
  expeUrl: string;
  secretKey: string;
  /** A scratch directory for the overlay (the rewritten files). */
  workDir: string;
}): Promise<OwnTestRun> {
  const moduleDir = await stripeGoModule(options.go);
  const stripeUrl = new URL(options.stripeUrl);
  const context: FixtureContext = {
    stripe: new Stripe(options.secretKey, {
      host: stripeUrl.hostname,
      port: Number(stripeUrl.port),
      protocol: stripeUrl.protocol === 'https:' ? 'https' : 'http',
      maxNetworkRetries: 2,
    }),
    async expe(method, path, body) {
      const response = await fetch(new URL(path, options.expeUrl), {
        method,
        headers: {
          authorization: `Bearer ${options.secretKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    notes: [],
  };
  const replacements: OwnTestRun['replacements'] = {};
  const overlay: Record<string, string> = {
    [join(moduleDir, 'testing', 'testing.go')]: join(import.meta.dirname, 'testing.go'),
  };
  // First: the clock it moves expires every PaymentIntent still open then.
  await memo(context, 'availableBalance');
  const tests = new Map<string, string[]>();
  const checks = new Map<string, string>();
  // One package after another: the fixtures (a payment, the clock) are made in a fixed order.
  for (const pkg of measuredPackages) {
    const original = join(moduleDir, pkg, 'client_test.go');
    const source = await readFile(original, 'utf8');
    tests.set(
      pkg,
      testFunctions(source).map((test) => test.name),
    );
    for (const test of testFunctions(source)) {
      checks.set(`${pkg}.${test.name}`, checksOf(source.slice(test.start, test.end)));
    }
    const target = join(options.workDir, pkg, 'client_test.go');
    await mkdir(join(options.workDir, pkg), { recursive: true });
    await writeFile(target, await rewrite(pkg, source, context, replacements));
    overlay[original] = target;
  }
  const overlayFile = join(options.workDir, 'overlay.json');
  await writeFile(overlayFile, JSON.stringify({ Replace: overlay }));

  const results = new Map<string, Omit<OwnTestResult, 'checks'>>();
  for (let round = 0; round < 60; round++) {
    const pending = measuredPackages.flatMap((pkg) =>
      (tests.get(pkg) ?? [])
        .filter((test) => !results.has(`${pkg}.${test}`))
        .map((test) => ({ pkg, test })),
    );
    if (pending.length === 0) break;
    const packages = [...new Set(pending.map((item) => item.pkg))];
    const names = pending.map((item) => item.test);
    const goTest = await goCommand(
      options.go,
      [
        'test',
        '-json',
        '-count=1',
        '-p=1',
        '-timeout=120s',
        `-overlay=${overlayFile}`,
        `-run=^(${[...new Set(names)].join('|')})$`,
        ...packages.map((pkg) => `./${pkg}`),
      ],
      moduleDir,
      { STRIPE_API_BASE: options.stripeUrl, STRIPE_SECRET_KEY: options.secretKey },
    );
    const outputs = new Map<string, string>();
    const running = new Map<string, string>();
    let progressed = false;
    for (const line of goTest.stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      const event = JSON.parse(line) as GoTestEvent;
      const pkg = event.Package?.slice(modulePath.length + 1);
      if (!pkg) continue;
      if (!event.Test) {
        // Output of the package outside a test (a panic's trace names the running test).
        if (event.Output) outputs.set(`${pkg}.`, (outputs.get(`${pkg}.`) ?? '') + event.Output);
        continue;
      }
      const key = `${pkg}.${event.Test}`;
      if (event.Action === 'run') running.set(pkg, key);
      if (event.Output) outputs.set(key, (outputs.get(key) ?? '') + event.Output);
      if (event.Action === 'pass' || event.Action === 'fail') {
        progressed = true;
        running.delete(pkg);
        results.set(key, {
          package: pkg,
          test: event.Test,
          passed: event.Action === 'pass',
          ...(event.Action === 'fail' ? { reason: reasonOf(outputs.get(key) ?? '') } : {}),
        });
      }
    }
    // A test that started and never ended took its package's binary down with it.
    for (const [pkg, key] of running) {
      progressed = true;
      results.set(key, {
        package: pkg,
        test: key.slice(pkg.length + 1),
        passed: false,
        reason: reasonOf(`${outputs.get(key) ?? ''}${outputs.get(`${pkg}.`) ?? ''}`),
      });
    }
    if (!progressed) {
      throw new Error(`go test ran none of the pending tests:\n${goTest.stdout}\n${goTest.stderr}`);
    }
  }
  return {
    results: measuredPackages.flatMap((pkg) =>
      (tests.get(pkg) ?? []).map((test) => ({
        ...(results.get(`${pkg}.${test}`) ?? {
          package: pkg,
          test,
          passed: false,
          reason: 'did not run',
        }),
        checks: checks.get(`${pkg}.${test}`) ?? '',
      })),
    ),
    notes: context.notes,
    replacements,
  };
}

/** The results as a Markdown table (the vitest test prints it; the report quotes it). */
export function resultTable(results: OwnTestResult[]): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const rows = results.map(
    (result) =>
      `| ${result.package} | ${result.test} | ${result.passed ? 'pass' : 'FAIL'} | ${cell(result.checks)} | ${cell(result.reason ?? '')} |`,
  );
  return [
    '| package | test | result | what it checks | reason |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
