import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JS module of the ESLint config, without types.
import * as boundaries from '../eslint.boundaries.js';

const { boundaryBlocks, projectScopedServices, scopedTablesOf } = boundaries as {
  boundaryBlocks: object[];
  projectScopedServices: string[];
  scopedTablesOf: (service: string) => Set<string>;
};

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
      ...boundaryBlocks,
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

  it('when a package imports a service or the composition root, by package or by path, then lint fails; another package and platform/ itself pass', async () => {
    const file = 'packages/testing/src/fixture.ts';

    for (const code of [
      "import { createApp } from '@expe/gateway';\n",
      "import { startPayments } from '@expe/payments';\n",
      "export { startAuth } from '@expe/auth';\n",
      "import { startPlatform } from '@expe/platform';\n",
      "import { schema } from '../../../services/webhooks/src/db/schema.js';\n",
      "import { startPlatform } from '../../../platform/src/index.js';\n",
    ]) {
      expect(await restrictedImports(file, code)).toEqual(['no-restricted-imports']);
    }
    // A package's tests are held to it too: a package never starts a service.
    expect(
      await restrictedImports(
        'packages/server-kit/src/fixture.test.ts',
        "import { startMerchants } from '@expe/merchants';\n",
      ),
    ).toEqual(['no-restricted-imports']);
    expect(await restrictedImports(file, "import { newId } from '@expe/server-kit';\n")).toEqual(
      [],
    );
    expect(
      await restrictedImports(file, "import { errorCodes } from '@expe/contracts';\n"),
    ).toEqual([]);
    // The composition root composes the services: that is what it is for.
    expect(
      await restrictedImports(
        'platform/src/fixture.ts',
        "import { startGateway } from '@expe/gateway';\nimport { startPayments } from '@expe/payments';\nexport { startGateway, startPayments };\n",
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

  it("when a payments module imports the ledger's internals, then lint fails; the ledger's public entry and its own files pass", async () => {
    const file = 'services/payments/src/wallet/domain/fixture.ts';

    for (const code of [
      "import { postLedgerRows } from '../../ledger/db/ledger-repository.js';\n",
      "import { postLedgerTransaction } from '../../ledger/domain/post-ledger-transaction.js';\n",
      "export { walletAccount } from '../../ledger/domain/chart-of-accounts.js';\n",
      "const ledger = import('../../ledger/db/ledger-repository.js');\nexport { ledger };\n",
    ]) {
      expect(await restrictedImports(file, code)).toEqual(['expe-boundaries/module-public-entry']);
    }
    // The composition root (src/app.ts) is outside the ledger too.
    expect(
      await restrictedImports(
        'services/payments/src/app.ts',
        "import { postLedgerRows } from './ledger/db/ledger-repository.js';\n",
      ),
    ).toEqual(['expe-boundaries/module-public-entry']);
    expect(
      await restrictedImports(
        file,
        "import { postLedgerTransaction, walletAccount } from '../../ledger/index.js';\n",
      ),
    ).toEqual([]);
    // The ledger's own files, and modules without an index.ts, import each other freely.
    expect(
      await restrictedImports(
        'services/payments/src/ledger/domain/fixture.ts',
        "import { postLedgerRows } from '../db/ledger-repository.js';\n",
      ),
    ).toEqual([]);
    expect(
      await restrictedImports(
        file,
        "import { createPayment } from '../../payments/domain/create-payment.js';\n",
      ),
    ).toEqual([]);
  });

  describe("payments and webhooks keep ARCHITECTURE.md's layer rules (issue 25, item 7)", () => {
    it('when a payments use case imports drizzle, then lint fails; its repositories may', async () => {
      const domain = 'services/payments/src/sandbox/domain/fixture.ts';
      for (const code of [
        "import { eq } from 'drizzle-orm';\n",
        "import type { AnyPgColumn } from 'drizzle-orm/pg-core';\n",
      ]) {
        expect(await restrictedImports(domain, code)).toEqual(['no-restricted-imports']);
      }
      expect(
        await restrictedImports(
          'services/payments/src/sandbox/db/fixture-repository.ts',
          "import { eq } from 'drizzle-orm';\nexport { eq };\n",
        ),
      ).toEqual([]);
    });

    it('when a payments route imports a repository or the schema, then lint fails; a use case passes', async () => {
      const http = 'services/payments/src/checkout/http/fixture-routes.ts';
      for (const code of [
        "import { listPaymentLinks } from '../db/payment-link-repository.js';\n",
        "import type { SetupError } from '../../db/instrument-schema.js';\n",
        "import { findPayment } from '../../payments/db/payment-repository.js';\n",
      ]) {
        expect(await restrictedImports(http, code)).toEqual(['no-restricted-imports']);
      }
      expect(
        await restrictedImports(
          http,
          "import { listPaymentLinks } from '../domain/payment-link-checkout.js';\n",
        ),
      ).toEqual([]);
      // Webhooks keeps the same rules.
      expect(
        await restrictedImports(
          'services/webhooks/src/http/fixture-routes.ts',
          "import { findDelivery } from '../db/delivery-repository.js';\n",
        ),
      ).toEqual(['no-restricted-imports']);
    });

    it('when payments opens a transaction by hand or writes an error status by number, then lint fails; the kit helper and the catalog pass', async () => {
      const file = 'services/payments/src/wallet/domain/fixture.ts';
      for (const code of [
        'export const run = (db: any) => db.transaction(async () => 1);\n',
        'export const run = (tx: any) => tx.transaction((savepoint: unknown) => savepoint);\n',
        "import { AppError } from '@expe/server-kit';\nexport const refusal = new AppError('topup_limit_exceeded', 400, 'Too much');\n",
        "import { AppError } from '@expe/server-kit';\nexport class Short extends AppError {\n  constructor() {\n    super('insufficient_funds', 402, 'Too little');\n  }\n}\n",
      ]) {
        expect(await restrictedImports(file, code)).toEqual(['no-restricted-syntax']);
      }
      for (const code of [
        "import { withTransaction } from '@expe/server-kit';\nexport const run = (db: any) => withTransaction(db, async () => 1);\n",
        "import { AppError } from '@expe/server-kit';\nexport const refusal = AppError.of('topup_limit_exceeded', 'Too much');\n",
        "import { errorCodes } from '@expe/contracts';\nimport { AppError } from '@expe/server-kit';\nexport const declined = (code: string) => new AppError(code, errorCodes.card_declined.status, 'Declined');\n",
      ]) {
        expect(await restrictedImports(file, code)).toEqual([]);
      }
      // A test may open a transaction to set up its data.
      expect(
        await restrictedImports(
          'services/payments/src/wallet/domain/fixture.test.ts',
          'export const run = (db: any) => db.transaction(async () => 1);\n',
        ),
      ).toEqual([]);
    });
  });

  describe('scoped-repository: a project-scoped table is queried with the scope (issue 19)', () => {
    const file = 'services/payments/src/db/fixture-repository.ts';
    const header =
      "import { and, eq } from 'drizzle-orm';\nimport type { Executor, Scope } from '@expe/server-kit';\nimport { payments, transfers } from './schema.js';\n";

    it('when a function queries a scoped table without a scope, then lint fails, wherever the query sits', async () => {
      for (const code of [
        'export async function findPayment(db: Executor, id: string) {\n  return db.select().from(payments).where(eq(payments.id, id));\n}\n',
        'export const listPayments = (db: Executor, merchantId: string) =>\n  db.select().from(payments).where(eq(payments.merchantId, merchantId));\n',
        // A callback inside an unscoped function is no better.
        'export async function all(db: Executor) {\n  return [1].map(async () => db.select().from(payments));\n}\n',
        // A comment that gives no reason is no reason.
        '// unscoped:\nexport async function sweep(db: Executor) {\n  return db.select().from(payments);\n}\n',
      ]) {
        expect(await restrictedImports(file, header + code)).toEqual([
          'expe-boundaries/scoped-repository',
        ]);
      }
      // The rule governs domain/ too, where a use case might query a table itself (one that
      // needs no drizzle operator; payments' domain/ may not import drizzle at all).
      expect(
        await restrictedImports(
          'services/payments/src/payments/domain/fixture.ts',
          "import type { Executor } from '@expe/server-kit';\nimport { payments } from '../../db/schema.js';\n" +
            'export async function refundAll(db: Executor) {\n  return db.update(payments).set({ amountRefunded: 0 });\n}\n',
        ),
      ).toEqual(['expe-boundaries/scoped-repository']);
    });

    it('when the function takes the scope or says why it sees every project, then lint passes; unscoped tables and other services are not governed', async () => {
      for (const code of [
        'export async function findPayment(db: Executor, scope: Scope, id: string) {\n  return db.select().from(payments).where(and(eq(payments.id, id), eq(payments.projectId, scope.projectId), eq(payments.mode, scope.mode)));\n}\n',
        'export const reset = async (db: Executor, { projectId }: { projectId: string }) =>\n  db.update(payments).set({ projectId: `${projectId}~reset` }).where(eq(payments.projectId, projectId));\n',
        '// unscoped: the expiry sweep settles every project’s due payments.\nexport async function dueIds(db: Executor) {\n  return db.select().from(payments);\n}\n',
        '/** The relay. unscoped: events of every project are relayed. */\nexport async function relay(db: Executor) {\n  return db.select().from(payments);\n}\n',
        // Wallet transfers belong to people, not projects.
        'export async function listTransfers(db: Executor) {\n  return db.select().from(transfers);\n}\n',
      ]) {
        expect(await restrictedImports(file, header + code)).toEqual([]);
      }
      // Merchants owns projects and keys: its tables are the merchant's, not a project's.
      expect(
        await restrictedImports(
          'services/merchants/src/db/fixture-repository.ts',
          "import type { Executor } from '@expe/server-kit';\nimport { apiKeys } from './schema.js';\nexport async function keys(db: Executor) {\n  return db.select().from(apiKeys);\n}\n",
        ),
      ).toEqual([]);
    });

    it('when the rule reads which tables are scoped, then it finds exactly the tables drizzle says have a project_id column', async () => {
      for (const service of projectScopedServices) {
        const dbDir = join(root, 'services', service, 'src', 'db');
        const withProject = new Set<string>();
        for (const name of readdirSync(dbDir).filter((file) => file.endsWith('schema.ts'))) {
          const module = (await import(join(dbDir, name))) as Record<string, unknown>;
          for (const [exported, value] of Object.entries(module)) {
            if (!is(value, PgTable)) continue;
            if (getTableConfig(value).columns.some((column) => column.name === 'project_id')) {
              withProject.add(exported);
            }
          }
        }
        expect(withProject.size, `${service} has project-scoped tables`).toBeGreaterThan(0);
        expect([...scopedTablesOf(service)].sort(), service).toEqual([...withProject].sort());
      }
    });
  });
});
