import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedPostgres } from '@expe/server-kit';
import {
  cardBody,
  createPayment,
  reconciliation,
  sandboxCards,
  startStack,
  topUp,
  waitFor,
  walletBalance,
  type Stack,
} from './support.js';

/**
 * `npm start` without DATABASE_URL runs every service on one embedded PGlite: one connection,
 * so the ledger's locks, savepoints, advisory locks and the scheduler must all work there too.
 */
let dataDir: string;
let pglite: Awaited<ReturnType<typeof openEmbeddedPostgres>>;
let stack: Stack;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'expe-payments-pglite-'));
  pglite = await openEmbeddedPostgres(dataDir);
  stack = await startStack('embedded', {}, { pglite });
});

afterAll(async () => {
  await stack?.stop();
  await pglite?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('payments on the embedded database', () => {
  it('when payments, a pending UPI payment and concurrent transfers run, then everything settles and reconciles', async () => {
    const merchant = await stack.registerMerchant('Embedded Shop');
    const [asha, ravi] = [await stack.registerUser('Asha'), await stack.registerUser('Ravi')];
    await topUp(stack, asha, 50_000);
    await topUp(stack, ravi, 50_000);
    const card = await createPayment(stack, merchant.testKey);
    const upi = await createPayment(stack, merchant.testKey);

    const paid = await stack.call('POST', `/v1/payments/${card.id}/confirm`, {
      idempotencyKey: 'embedded-confirm',
      body: cardBody(card.client_secret, sandboxCards.succeeds),
    });
    const pending = await stack.call('POST', `/v1/payments/${upi.id}/confirm`, {
      body: { client_secret: upi.client_secret, method: 'upi', upi: { vpa: 'pending@expe' } },
    });
    const transfers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        stack.call('POST', '/v1/wallet/transfers', {
          as: (i % 2 ? asha : ravi).principal,
          body: { to: (i % 2 ? ravi : asha).vpa, amount: 1_000 },
        }),
      ),
    );
    const settled = await waitFor(
      () => stack.call('GET', `/v1/payments/${upi.id}`, { as: merchant.testKey }),
      (read) => read.body.status === 'succeeded',
    );

    expect(paid.status).toBe(200);
    expect(pending.body.status).toBe('processing');
    expect(transfers.map((response) => response.status)).toEqual(Array(20).fill(201));
    expect(settled.body.status).toBe('succeeded');
    expect((await walletBalance(stack, asha)) + (await walletBalance(stack, ravi))).toBe(100_000);
    expect((await reconciliation(stack)).ok).toBe(true);
  });
});
