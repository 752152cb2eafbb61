// The documentation as a test: the fenced blocks of the README, the getting-started guide, the
// CLI reference, the scenarios reference, the SDK's README and every example's README run
// against a platform, so a doc that drifts from the product fails here.
//
// Per document, its shell blocks (`sh`) run in order in one bash session (variables carry over,
// as in a reader's terminal), in a scratch directory inside the repository (so `npx expe`, the
// workspace SDK and `examples/…` resolve as they do for a reader of a fresh clone). Rules:
// - a code block whose first line names a file (`// server.mjs …`) is written to that file
//   before the session starts; the shell blocks run it;
// - `<!-- not-run: reason -->` right before a block skips it, visibly: the test lists every
//   skipped block with its reason, and fails on a runnable block that is neither run nor marked;
// - `<!-- background: ready when it prints "…" -->` runs a long-running block (`expe listen`)
//   in the background and waits for that line before the next block;
// - `curl` fails the block on an HTTP error status (`--fail-with-body`), and a comment showing
//   output after a command (`# {"object":"account",…}`, `…` for anything) must match it;
// - the defaults the docs show are pointed at the test's platform: http://127.0.0.1:4000 (the
//   gateway), 127.0.0.1:12111 (the Stripe port) and port 3000 (your receiver), in the blocks
//   and through EXPE_API_BASE and STRIPE_API_BASE;
// - `<!-- expected-output -->` before a shown output: the shell block before it prints exactly
//   those lines, in that order (`…` for anything);
// - a document that starts from a test key (an example) gets one in `$SECRET`.
// Blocks without a language, or in another one (text, json, yaml), are output or configuration
// shown to the reader, not commands. The SDK README's TypeScript fragments, which continue one
// another and leave values to the reader, are not run but type-checked against the SDK.
import { spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blockMarker,
  endMarker,
  expectedOutputs,
  extractBlocks,
  fileNameOf,
  linePattern,
  outputsByBlock,
  runnableLanguages,
  type DocBlock,
} from './support/doc-blocks.js';
import { freePort } from './support/npm-start.js';
import { onboardMerchant, startTestPlatform, type TestPlatform } from './support/test-platform.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));

const documents = [
  'README.md',
  'docs/getting-started.md',
  'docs/cli.md',
  'docs/scenarios.md',
  'packages/sdk/README.md',
  ...readdirSync(join(repoRoot, 'examples'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `examples/${entry.name}/README.md`),
];
const blocksOf = new Map(documents.map((doc) => [doc, extractBlocks(repoRoot, doc)]));
const where = (block: DocBlock) => `${block.file}:${block.line}`;

/** What each document promises beyond its blocks' own output, checked after its session. */
const afterwards: Record<string, { waitFor?: string[]; givesSecret?: boolean }> = {
  'examples/stripe-integration/README.md': { givesSecret: true },
  'docs/scenarios.md': { givesSecret: true },
  'examples/scenarios/README.md': { givesSecret: true },
  // The receiver of section 5 verifies the triggered event; `expe listen` reports the delivery.
  'docs/getting-started.md': { waitFor: ['verified payment.succeeded evt_', '--> [200] POST'] },
};

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('the docs blocks', () => {
  it('when a block can run, then it runs or is marked not-run with a reason (the skipped ones are listed)', () => {
    const unaccounted: string[] = [];
    const skipped: string[] = [];
    for (const blocks of blocksOf.values()) {
      for (const block of blocks) {
        if (block.notRun)
          skipped.push(`${where(block)} (${block.lang || 'text'}): ${block.notRun}`);
        else if (!runnableLanguages.has(block.lang)) continue;
        else if (block.lang !== 'sh' && block.lang !== 'bash' && !fileNameOf(block))
          unaccounted.push(`${where(block)}: a ${block.lang} block that names no file`);
      }
    }
    process.stderr.write(`Doc blocks marked not to run:\n  ${skipped.join('\n  ')}\n`);

    expect(unaccounted).toEqual([]);
  });

  for (const doc of documents) {
    const blocks = blocksOf.get(doc)!.filter((block) => !block.notRun);
    const shell = blocks.filter((block) => block.lang === 'sh' || block.lang === 'bash');
    if (shell.length === 0) continue;
    it(`when ${doc} is followed block by block, then every command succeeds and shows what it says`, async () => {
      const session = await runSession(doc, blocks);

      expect(session.failure, session.log).toBeUndefined();
      for (const block of shell) {
        const output = session.outputs.get(block.line) ?? '';
        for (const pattern of expectedOutputs(block)) {
          expect(output, `${where(block)} shows ${pattern.source}`).toMatch(pattern);
        }
      }
      const all = blocksOf.get(doc)!;
      for (const shown of all.filter((block) => block.isExpectedOutput)) {
        const ran = shell.filter((block) => block.line < shown.line).at(-1)!;
        const printed = (session.outputs.get(ran.line) ?? '').split('\n').filter(Boolean);
        const expected = shown.code.split('\n').filter(Boolean);
        expect(printed.length, `${where(shown)}: ${printed.join(' | ')}`).toBe(expected.length);
        expected.forEach((line, i) => expect(printed[i], where(shown)).toMatch(linePattern(line)));
      }
    }, 300_000);
  }
});

describe('the SDK README', () => {
  it("when its TypeScript fragments are type-checked against the SDK's source, then they compile", async () => {
    // Each fragment becomes a function of its own; the names the README leaves to the reader
    // (a client, a payment, an Express app, …) are declared once, so every call is checked
    // against the SDK's real signatures.
    const fragments = blocksOf
      .get('packages/sdk/README.md')!
      .filter((block) => block.lang === 'ts');
    const imports = new Set<string>();
    const bodies = fragments.map((block, i) => {
      const body = block.code.split('\n').filter((line) => {
        if (!line.startsWith('import ')) return true;
        imports.add(line);
        return false;
      });
      return `// packages/sdk/README.md:${block.line}\nexport async function fragment${i}() {\n${body.join('\n')}\n}`;
    });
    const source = [
      ...imports,
      "import type { Customer, Payment } from '@expe/sdk';",
      "import type { Express } from 'express';",
      "type Client = ReturnType<typeof import('@expe/sdk').createExpeClient>;",
      'declare const expe: Client;',
      'declare const payment: Payment;',
      'declare const customer: Customer;',
      'declare const qr: { id: string };',
      'declare const accessToken: string;',
      'declare const baseUrl: string;',
      'declare const id: string;',
      "declare const params: Parameters<Client['payments']['confirm']>[1];",
      'declare const app: Express;',
      ...bodies,
    ].join('\n\n');
    const scratch = join(repoRoot, 'test-results');
    mkdirSync(scratch, { recursive: true });
    const dir = mkdtempSync(join(scratch, 'sdk-readme-'));
    try {
      writeFileSync(join(dir, 'readme.ts'), source);
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          extends: join(repoRoot, 'tsconfig.base.json'),
          compilerOptions: {
            noEmit: true,
            composite: false,
            declaration: false,
            declarationMap: false,
          },
          files: ['readme.ts'],
        }),
      );
      const result = await new Promise<{ code: number | null; output: string }>(
        (resolve, reject) => {
          const child = spawn(process.execPath, [
            join(repoRoot, 'node_modules/typescript/bin/tsc'),
            '-p',
            dir,
          ]);
          let output = '';
          child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
          child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
          child.on('error', reject);
          child.on('close', (code) => resolve({ code, output }));
        },
      );

      expect(fragments.length).toBeGreaterThan(10);
      expect(result.output).toBe('');
      expect(result.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

interface Session {
  /** The block that failed, with its exit status, or undefined. */
  failure?: string;
  outputs: Map<number, string>;
  log: string;
}

async function runSession(doc: string, blocks: DocBlock[]): Promise<Session> {
  // Inside the repository's package scope (ES modules, its node_modules), git-ignored.
  const scratch = join(repoRoot, 'test-results');
  mkdirSync(scratch, { recursive: true });
  const dir = mkdtempSync(join(scratch, 'docs-'));
  try {
    return await runSessionIn(dir, doc, blocks);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Ends every process a session started. The script's EXIT trap kills its background jobs, but a
 * job is a subshell: what it started (`npx expe listen` and the node process under it) outlived
 * it and kept running after the test. Signalling the session's process group reaches them all;
 * the group is gone once its last member has exited.
 */
async function endProcessGroup(groupId: number): Promise<void> {
  /** The group's running processes, from /proc (a zombie waiting to be reaped is not one). */
  const members = () =>
    readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          return state !== 'Z' && Number(group) === groupId;
        } catch {
          return false; // exited while being read
        }
      });
  if (members().length > 0) {
    try {
      process.kill(-groupId, 'SIGKILL');
    } catch {
      // the last member exited in between
    }
  }
  await expect.poll(members, { timeout: 10_000 }).toEqual([]);
}

async function runSessionIn(dir: string, doc: string, blocks: DocBlock[]): Promise<Session> {
  symlinkSync(join(repoRoot, 'examples'), join(dir, 'examples'));
  const receiverPort = await freePort();
  const rewrite = (code: string) =>
    code
      .replaceAll('http://127.0.0.1:4000', t.url)
      .replaceAll('127.0.0.1:12111', new URL(t.platform.stripeUrl!).host)
      .replaceAll('localhost:3000', `localhost:${receiverPort}`)
      .replaceAll('.listen(3000', `.listen(${receiverPort}`);

  const script = [
    'set -euo pipefail',
    'curl() { command curl --fail-with-body "$@"; }',
    "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT",
  ];
  for (const block of blocks) {
    const file = fileNameOf(block);
    if (file) {
      writeFileSync(join(dir, file), rewrite(block.code));
      continue;
    }
    if (block.lang !== 'sh' && block.lang !== 'bash') continue;
    script.push(blockMarker(block));
    if (block.readyWhen) {
      const log = `.background-${block.line}.log`;
      script.push(
        `( ${rewrite(block.code)}\n) > ${log} 2>&1 &`,
        `for _ in $(seq 1 600); do grep -qF ${JSON.stringify(block.readyWhen)} ${log} && break; sleep 0.1; done`,
        `grep -qF ${JSON.stringify(block.readyWhen)} ${log} || { cat ${log}; exit 97; }`,
      );
    } else {
      script.push(rewrite(block.code));
    }
  }
  script.push(endMarker);
  for (const text of afterwards[doc]?.waitFor ?? []) {
    // What the document says appears (a receiver's line, a delivery): waited for, up to 30 s.
    const logs = `session.log .background-*.log`;
    script.push(
      `for _ in $(seq 1 300); do cat ${logs} 2>/dev/null | grep -qF -- ${JSON.stringify(text)} && break; sleep 0.1; done`,
      `cat ${logs} 2>/dev/null | grep -qF -- ${JSON.stringify(text)} || { echo 'never printed: ${text.replaceAll("'", '')}'; cat .background-*.log 2>/dev/null; exit 98; }`,
    );
  }
  writeFileSync(join(dir, 'session.sh'), script.join('\n') + '\n');

  const configHome = join(dir, '.config');
  const given: Record<string, string> = afterwards[doc]?.givesSecret
    ? { SECRET: (await onboardMerchant(t, 'docs')).key.secret }
    : {};
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('bash', ['-c', 'bash session.sh > session.log 2>&1'], {
      cwd: dir,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        HOME: dir,
        XDG_CONFIG_HOME: configHome,
        EXPE_API_BASE: t.url,
        STRIPE_API_BASE: t.platform.stripeUrl!,
        ...given,
      },
      stdio: 'ignore',
      // A process group of its own: see endProcessGroup.
      detached: true,
    });
    child.on('error', reject);
    child.on('close', (exitCode) => {
      endProcessGroup(child.pid!).then(() => resolve(exitCode), reject);
    });
  });
  const log = await readFile(join(dir, 'session.log'), 'utf8');
  const { outputs, last: current } = outputsByBlock(log);
  return {
    ...(code === 0 ? {} : { failure: `${doc}:${current ?? 'end'} exited ${code}` }),
    outputs,
    log: `${doc}, exit ${code}, failing block at line ${current ?? '(after the last)'}:\n${log}`,
  };
}
