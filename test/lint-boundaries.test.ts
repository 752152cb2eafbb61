import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JS module of the ESLint config, without types.
import { boundaryBlocks } from '../eslint.boundaries.js';

const root = resolve(import.meta.dirname, '..');

/**
 * Lints small fixture sources as if they were files at `filePath` in the repository, with the
 * boundary blocks of eslint.config.js (and only them, so no type information is needed).
 */
async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.{ts,tsx}'], languageOptions: { parser: tseslint.parser } },
      ...(boundaryBlocks as object[]),
    ],
  });
  const [result] = await eslint.lintText(code, { filePath: resolve(root, filePath) });
  expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
  return result!.messages.map((message) => String(message.ruleId));
}

describe('ESLint boundary rules (eslint.boundaries.js)', () => {
  it('when a service imports another service, by package or by path, then lint fails; a shared package passes', async () => {
    const file = 'services/auth/src/domain/fixture.ts';

    expect(await restrictedImports(file, "import { createApp } from '@expe/merchants';\n")).toEqual(
      ['no-restricted-imports'],
    );
    expect(
      await restrictedImports(
        'services/payments/src/db/fixture.ts',
        "import { schema } from '../../../webhooks/src/db/schema.js';\n",
      ),
    ).toEqual(['no-restricted-imports']);
    expect(await restrictedImports(file, "import { newId } from '@expe/server-kit';\n")).toEqual(
      [],
    );
    expect(
      await restrictedImports(file, "import { registerInputSchema } from '@expe/contracts';\n"),
    ).toEqual([]);
  });

  it("when a service's test starts a sibling service, then lint passes: the rule governs src/ only", async () => {
    expect(
      await restrictedImports(
        'services/auth/test/fixture.test.ts',
        "import { startMerchants } from '@expe/merchants';\n",
      ),
    ).toEqual([]);
  });

  it('when domain/ imports http/ or Express, then lint fails; importing db/ and other domain files passes', async () => {
    const file = 'services/webhooks/src/domain/fixture.ts';

    expect(
      await restrictedImports(file, "import { scopeOf } from '../http/route-deps.js';\n"),
    ).toEqual(['no-restricted-imports']);
    expect(await restrictedImports(file, "import type { Request } from 'express';\n")).toEqual([
      'no-restricted-imports',
    ]);
    expect(
      await restrictedImports(
        file,
        "import { findDelivery } from '../db/delivery-repository.js';\n",
      ),
    ).toEqual([]);
    expect(
      await restrictedImports(file, "import { chaosDraw } from './webhook-chaos.js';\n"),
    ).toEqual([]);
    // http/ itself may import express and domain/.
    expect(
      await restrictedImports(
        'services/webhooks/src/http/fixture.ts',
        "import express from 'express';\nimport { getWebhookEndpoint } from '../domain/get-webhook-endpoint.js';\nexport { express, getWebhookEndpoint };\n",
      ),
    ).toEqual([]);
  });

  it('when browser code imports a server-only package or a Node built-in, then lint fails; contracts and the SDK-free web code pass', async () => {
    const file = 'web/src/features/payments/fixture.tsx';

    for (const code of [
      "import { newId } from '@expe/server-kit';\n",
      "import pg from 'pg';\n",
      "import express from 'express';\n",
      "import { readFile } from 'node:fs/promises';\n",
      "import { eq } from 'drizzle-orm';\n",
    ]) {
      expect(await restrictedImports(file, code)).toEqual(['no-restricted-imports']);
    }
    expect(
      await restrictedImports(file, "import { paymentSchema } from '@expe/contracts';\n"),
    ).toEqual([]);
    expect(await restrictedImports(file, "import { api } from '../../lib/api';\n")).toEqual([]);
  });

  it("when a web feature imports another feature's internals, then lint fails; its public entry and the feature's own files pass", async () => {
    const file = 'web/src/features/checkout/components/fixture.tsx';

    for (const code of [
      "import { sandboxCards } from '../../payments/sandbox';\n",
      "import { PaymentsTable } from '../../payments/components/payments-table';\n",
      "export { getCheckoutPayment } from '../../payments/api';\n",
      "const api = import('../../payments/api');\nexport { api };\n",
    ]) {
      expect(await restrictedImports(file, code)).toEqual(['expe-boundaries/feature-public-entry']);
    }
    expect(
      await restrictedImports(file, "import { sandboxCards } from '../../payments';\n"),
    ).toEqual([]);
    expect(
      await restrictedImports(file, "import { sandboxCards } from '../../payments/index';\n"),
    ).toEqual([]);
    // Its own feature's files, and the shared components and lib, are not another feature.
    expect(await restrictedImports(file, "import { fetchCheckout } from '../api';\n")).toEqual([]);
    expect(
      await restrictedImports(
        file,
        "import { DataTable } from '../../../components/data-table';\n",
      ),
    ).toEqual([]);
    // App routes compose features; the rule governs features/ only.
    expect(
      await restrictedImports(
        'web/src/app/routes/fixture.tsx',
        "import { sandboxCards } from '../../features/payments/sandbox';\n",
      ),
    ).toEqual([]);
  });
});
