import { execFile } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { scratchDirPerFile } from '@expe/testing';
import { describe, expect, it } from 'vitest';
import { merchantPerFile, platformPerFile } from '../../../test/support/test-platform.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const t = platformPerFile();
const merchant = merchantPerFile(t, 'sdk-pack');
const scratch = scratchDirPerFile('expe-sdk-pack-');

describe('npm pack of @expe/sdk', () => {
  it('when the tarball is installed in a project outside the repository, then it imports, type-checks and calls the platform', async () => {
    // No build before: `prepack` compiles the SDK, as it must right after `npm ci`.
    const { stdout: packed } = await run(
      'npm',
      ['pack', '-w', '@expe/sdk', '--json', '--pack-destination', scratch.path],
      { cwd: repoRoot },
    );
    const [{ filename, files }] = JSON.parse(packed) as [
      { filename: string; files: Array<{ path: string }> },
    ];
    const app = join(scratch.path, 'app');
    await run('mkdir', ['-p', app]);
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({ name: 'scratch-shop', private: true, type: 'module' }),
    );
    await run(
      'npm',
      [
        'install',
        join(scratch.path, filename),
        '--offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
      ],
      { cwd: app },
    );
    await writeFile(
      join(app, 'index.ts'),
      [
        "import { createExpeClient, generateWebhookSignatureHeader, verifyWebhookSignature, type Payment } from '@expe/sdk';",
        'const expe = createExpeClient({ apiKey: process.env.KEY!, baseUrl: process.env.BASE! });',
        "const payment: Payment = await expe.payments.create({ amount: 1500, currency: 'inr' });",
        "const body = JSON.stringify({ id: 'evt_1', type: 'payment.created' });",
        "const header = generateWebhookSignatureHeader(body, ['whsec_test']);",
        "const event = verifyWebhookSignature(body, header, 'whsec_test');",
        'console.log(JSON.stringify({ id: payment.id, status: payment.status, event: event.id }));',
      ].join('\n'),
    );
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          outDir: 'out',
          types: ['node'],
          typeRoots: [join(repoRoot, 'node_modules/@types')],
        },
        files: ['index.ts'],
      }),
    );

    // Compile as a consumer would (the SDK's .d.ts must stand alone), then run it.
    await run(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', app]);
    const { stdout } = await run(process.execPath, ['out/index.js'], {
      cwd: app,
      env: { ...process.env, KEY: merchant.key.secret, BASE: t.url },
    });

    expect(files.map((file) => file.path)).toContain('dist/index.d.ts');
    expect(files.some((file) => file.path.includes('.test.'))).toBe(false);
    // No dependencies: the SDK alone, nothing else from the registry.
    expect(
      (await readdir(join(app, 'node_modules'))).filter((name) => !name.startsWith('.')),
    ).toEqual(['@expe']);
    expect(JSON.parse(stdout)).toMatchObject({
      id: expect.stringMatching(/^pay_/),
      status: 'requires_payment_method',
      event: 'evt_1',
    });
  }, 300_000);
});
