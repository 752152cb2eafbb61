import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  adminPrincipal,
  cardBody,
  createPaidPayment,
  createPayment,
  expectError,
  sandboxCards,
  stackPerFile,
  type TestMerchant,
} from './support.js';

const stack = stackPerFile('reports');
let merchant: TestMerchant;
let otherMerchant: TestMerchant;

beforeAll(async () => {
  [merchant, otherMerchant] = await stack.registerMerchants('Report Shop', 'Other Report Shop');
});

describe('GET /v1/balance', () => {
  it('when test and live payments succeed, then each mode shows only its own pending balance per currency, net of fees', async () => {
    const shop = await stack.registerMerchant('Balance Shop');
    await createPaidPayment(stack, shop.testKey, { amount: 1_000 });
    await createPaidPayment(stack, shop.testKey, { amount: 500, currency: 'usd' });
    await createPaidPayment(stack, shop.liveKey, { amount: 7_000 });

    const test = await stack.call('GET', '/v1/balance', { as: shop.testKey });
    const live = await stack.call('GET', '/v1/balance', { as: shop.liveKey });

    expect(test.body).toEqual({
      object: 'balance',
      livemode: false,
      available: [
        { amount: 0, currency: 'inr' },
        { amount: 0, currency: 'usd' },
      ],
      pending: [
        { amount: 1_000 - (20 + 300), currency: 'inr' },
        { amount: 500 - (10 + 30), currency: 'usd' },
      ],
    });
    expect(live.body).toEqual({
      object: 'balance',
      livemode: true,
      available: [{ amount: 0, currency: 'inr' }],
      pending: [{ amount: 7_000 - (140 + 300), currency: 'inr' }],
    });
  });

  it('when a merchant has no payments yet, then its INR balance is 0', async () => {
    const shop = await stack.registerMerchant('Empty Shop');

    const response = await stack.call('GET', '/v1/balance', { as: shop.testKey });

    expect(response.body.available).toEqual([{ amount: 0, currency: 'inr' }]);
    expect(response.body.pending).toEqual([{ amount: 0, currency: 'inr' }]);
  });
});

describe('GET /v1/events', () => {
  it('when filtering by type, wildcard and created, then only matching events of this merchant and mode come back', async () => {
    const shop = await stack.registerMerchant('Event Shop');
    const paid = await createPaidPayment(stack, shop.testKey);
    const open = await createPayment(stack, shop.testKey);
    await createPayment(stack, shop.liveKey);

    const all = await stack.call('GET', '/v1/events?limit=100', { as: shop.testKey });
    const succeeded = await stack.call('GET', '/v1/events?type=payment.succeeded', {
      as: shop.testKey,
    });
    const wildcard = await stack.call('GET', '/v1/events?type=payment.*', { as: shop.testKey });
    const later = await stack.call('GET', `/v1/events?created[gt]=${open.created + 60}`, {
      as: shop.testKey,
    });
    const foreign = await stack.call('GET', '/v1/events?limit=100', { as: otherMerchant.testKey });

    expect(all.body.data.map((event: any) => [event.type, event.data.object.id])).toEqual([
      ['payment.created', open.id],
      ['charge.succeeded', paid.latest_charge],
      ['payment.succeeded', paid.id],
      ['payment.created', paid.id],
    ]);
    expect(all.body.data.every((event: any) => event.livemode === false)).toBe(true);
    expect(succeeded.body.data).toHaveLength(1);
    expect(succeeded.body.data[0]).toMatchObject({
      object: 'event',
      type: 'payment.succeeded',
      data: { object: { id: paid.id, status: 'succeeded' } },
    });
    expect(wildcard.body.data).toHaveLength(3);
    expect(later.body.data).toEqual([]);
    expect(foreign.body.data.map((event: any) => event.data.object.id)).not.toContain(paid.id);
  });

  it('when paging with a type filter, then the next page keeps the filter', async () => {
    const shop = await stack.registerMerchant('Paging Event Shop');
    const payments = [];
    for (let i = 0; i < 3; i++) payments.push(await createPaidPayment(stack, shop.testKey));

    const first = await stack.call('GET', '/v1/events?type=payment.succeeded&limit=2', {
      as: shop.testKey,
    });
    const second = await stack.call(
      'GET',
      `/v1/events?type=payment.succeeded&limit=2&starting_after=${first.body.data[1].id}`,
      { as: shop.testKey },
    );

    expect(first.body.has_more).toBe(true);
    expect(second.body.has_more).toBe(false);
    expect([...first.body.data, ...second.body.data].map((e: any) => e.data.object.id)).toEqual([
      payments[2].id,
      payments[1].id,
      payments[0].id,
    ]);
  });

  it('when reading one event, then the merchant gets it and another merchant gets 404', async () => {
    const payment = await createPayment(stack, merchant.testKey);
    const list = await stack.call('GET', '/v1/events?type=payment.created&limit=1', {
      as: merchant.testKey,
    });
    const id = list.body.data[0].id;

    const mine = await stack.call('GET', `/v1/events/${id}`, { as: merchant.testKey });
    const foreign = await stack.call('GET', `/v1/events/${id}`, { as: otherMerchant.testKey });
    const live = await stack.call('GET', `/v1/events/${id}`, { as: merchant.liveKey });

    expect(mine.body.data.object.id).toBe(payment.id);
    expectError(foreign, 404, 'resource_missing');
    expectError(live, 404, 'resource_missing');
  });

  it('when the query is malformed, then 400 names the parameter', async () => {
    const badType = await stack.call('GET', '/v1/events?type=DROP%20TABLE', {
      as: merchant.testKey,
    });
    const badCursor = await stack.call(
      'GET',
      '/v1/events?starting_after=pay_01kb3v4y7m9q2x8c5d6e7f8g9h',
      {
        as: merchant.testKey,
      },
    );
    const badLimit = await stack.call('GET', '/v1/events?limit=101', { as: merchant.testKey });

    expectError(badType, 400, 'parameter_invalid', 'type');
    expectError(badCursor, 400, 'parameter_invalid', 'starting_after');
    expectError(badLimit, 400, 'parameter_invalid', 'limit');
  });
});

describe('GET /v1/merchants/me/stats', () => {
  it('when payments succeeded, failed, were canceled and refunded, then the stats count them per mode', async () => {
    const shop = await stack.registerMerchant('Stats Shop');
    const paid = await createPaidPayment(stack, shop.testKey, { amount: 10_000 });
    await createPaidPayment(stack, shop.testKey, { amount: 2_000, currency: 'usd' });
    const declined = await createPayment(stack, shop.testKey);
    await stack.call('POST', `/v1/payments/${declined.id}/confirm`, {
      body: cardBody(declined.client_secret, sandboxCards.declined),
    });
    const canceled = await createPayment(stack, shop.testKey);
    await stack.call('POST', `/v1/payments/${canceled.id}/cancel`, { as: shop.testKey });
    await stack.call('POST', '/v1/refunds', {
      as: shop.testKey,
      body: { payment: paid.id, amount: 2_500 },
    });
    await createPaidPayment(stack, shop.liveKey, { amount: 99 });

    const test = await stack.call('GET', '/v1/merchants/me/stats?mode=test', {
      as: shop.owner.principal,
    });
    const live = await stack.call('GET', '/v1/merchants/me/stats?mode=live', {
      as: shop.owner.principal,
    });

    expect(test.status, test.text).toBe(200);
    expect(test.body).toEqual({
      object: 'merchant_stats',
      mode: 'test',
      payments: { total: 4, succeeded: 2, failed_attempts: 1, canceled: 1, expired: 0, open: 1 },
      volume: [
        { currency: 'inr', amount: 10_000, refunded: 2_500 },
        { currency: 'usd', amount: 2_000, refunded: 0 },
      ],
      success_rate: 0.6667,
    });
    expect(live.body.payments.total).toBe(1);
    expect(live.body.success_rate).toBe(1);
  });

  it('when a payment is declined twice and two succeed (one after a decline), then failed_attempts counts each decline and success_rate counts payments', async () => {
    const shop = await stack.registerMerchant('Definitions Shop');
    const decline = async (payment: { id: string; client_secret: string }) =>
      stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
        body: cardBody(payment.client_secret, sandboxCards.declined),
      });
    const neverPaid = await createPayment(stack, shop.testKey);
    await decline(neverPaid);
    await decline(neverPaid);
    const paidAfterDecline = await createPayment(stack, shop.testKey);
    await decline(paidAfterDecline);
    await stack.call('POST', `/v1/payments/${paidAfterDecline.id}/confirm`, {
      body: cardBody(paidAfterDecline.client_secret, sandboxCards.succeeds),
    });
    await createPaidPayment(stack, shop.testKey, { amount: 1_000 });

    const stats = await stack.call('GET', '/v1/merchants/me/stats?mode=test', {
      as: shop.owner.principal,
    });

    expect(stats.body.payments).toMatchObject({ total: 3, succeeded: 2, failed_attempts: 3 });
    // 2 of the 3 payments someone tried to pay succeeded (not 2 / (2 + 3)).
    expect(stats.body.success_rate).toBe(0.6667);
  });

  it('when both payments succeeded, one after a decline, then the success rate is 100 %', async () => {
    const shop = await stack.registerMerchant('All Paid Shop');
    const payment = await createPayment(stack, shop.testKey);
    await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, sandboxCards.declined),
    });
    await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, sandboxCards.succeeds),
    });
    await createPaidPayment(stack, shop.testKey, { amount: 1_000 });

    const stats = await stack.call('GET', '/v1/merchants/me/stats?mode=test', {
      as: shop.owner.principal,
    });

    expect(stats.body.payments).toMatchObject({ succeeded: 2, failed_attempts: 1 });
    expect(stats.body.success_rate).toBe(1);
  });

  it('when a plain user asks, then 403', async () => {
    const user = await stack.registerUser('Not A Merchant');

    expectError(
      await stack.call('GET', '/v1/merchants/me/stats', { as: user.principal }),
      403,
      'permission_denied',
    );
  });

  it("when a project's key (or a session with Expe-Project) asks, then it gets that project's stats; the owner's session gets the merchant's totals", async () => {
    const shop = await stack.registerMerchant('Two Project Stats');
    const other = await stack.addProject(shop, 'Team B');
    await createPaidPayment(stack, shop.testKey, { amount: 1_000 });
    await createPaidPayment(stack, other.testKey, { amount: 3_000 });
    await createPaidPayment(stack, other.testKey, { amount: 4_000 });

    const first = await stack.call('GET', '/v1/merchants/me/stats', { as: shop.testKey });
    const second = await stack.call('GET', '/v1/merchants/me/stats', { as: other.testKey });
    const owner = await stack.call('GET', '/v1/merchants/me/stats?mode=test', {
      as: shop.owner.principal,
    });

    expect(first.body.volume).toEqual([{ currency: 'inr', amount: 1_000, refunded: 0 }]);
    expect(second.body.volume).toEqual([{ currency: 'inr', amount: 7_000, refunded: 0 }]);
    expect(owner.body.volume).toEqual([{ currency: 'inr', amount: 8_000, refunded: 0 }]);
  });
});

const cliPath = fileURLToPath(new URL('../src/reconcile-cli.ts', import.meta.url));

function runReconcileCli(env: Record<string, string | undefined>) {
  return spawnSync(process.execPath, ['--conditions=@expe/source', '--import', 'tsx', cliPath], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('reconciliation', () => {
  it('when a merchant user or an API key asks for reconciliation, then 403 or 401', async () => {
    expectError(
      await stack.call('GET', '/v1/admin/reconciliation', { as: merchant.owner.principal }),
      403,
      'permission_denied',
    );
    expectError(
      await stack.call('GET', '/v1/admin/reconciliation', { as: merchant.testKey }),
      401,
      'authentication_required',
    );
  });

  it('when the CLI runs without DATABASE_URL, then it exits 2 naming the variable', () => {
    const result = runReconcileCli({});

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('DATABASE_URL');
  });

  // Corrupts the ledger on purpose, so it runs last in this file.
  it('when the ledger is clean, then the route and the CLI say so; when a balance is tampered with, then both name the account', async () => {
    await createPaidPayment(stack, merchant.testKey, { amount: 4_200 });

    const clean = await stack.call('GET', '/v1/admin/reconciliation', { as: adminPrincipal() });
    const cleanCli = runReconcileCli({ DATABASE_URL: stack.database!.url });
    const tampered = await tamperWithProjectBalance(merchant.projectId);
    const dirty = await stack.call('GET', '/v1/admin/reconciliation', { as: adminPrincipal() });
    const dirtyCli = runReconcileCli({ DATABASE_URL: stack.database!.url });
    const metrics = await (await fetch(new URL('/metrics', stack.payments.url))).text();

    expect(clean.status).toBe(200);
    expect(clean.body).toMatchObject({ object: 'reconciliation', ok: true });
    expect(clean.body.checks.map((check: any) => check.name)).toEqual([
      'entries_sum_to_zero',
      'balances_match_entries',
      'no_negative_balances',
      'transactions_balanced',
      'payments_captured_once',
      'holds_match_authorizations',
      'refunds_within_captured',
      'balance_transactions_sum_to_balances',
      'objects_in_their_payment_project',
      'balance_transactions_match_ledger',
      'disputes_debited_once',
      'payouts_match_status',
      'ledger_references_match',
    ]);
    expect(cleanCli.status, cleanCli.stderr).toBe(0);
    expect(JSON.parse(cleanCli.stdout)).toMatchObject({ ok: true });
    expect(dirty.body.ok).toBe(false);
    const balances = dirty.body.checks.find(
      (check: any) => check.name === 'balances_match_entries',
    );
    expect(balances.mismatches).toEqual([
      expect.objectContaining({ account_id: tampered, entries_sum: expect.any(Number) }),
    ]);
    const sums = dirty.body.checks.find(
      (check: any) => check.name === 'balance_transactions_sum_to_balances',
    );
    expect(sums.mismatches).toEqual([
      expect.objectContaining({
        project_id: merchant.projectId,
        status: 'pending',
        currency: 'inr',
      }),
    ]);
    expect(
      dirty.body.projects.find(
        (books: any) => books.project_id === merchant.projectId && books.mode === 'test',
      ),
    ).toMatchObject({ ok: false });
    expect(dirtyCli.status).toBe(1);
    expect(dirtyCli.stdout).toContain(tampered);
    expect(metrics).toMatch(/ledger_reconciliation_ok\S* 0/);
  });
});

async function tamperWithProjectBalance(projectId: string): Promise<string> {
  const client = new pg.Client({ connectionString: stack.database!.url });
  await client.connect();
  try {
    const result = await client.query<{ id: string }>(
      `update payments.accounts set balance = balance + 1
       where type = 'merchant_pending' and owner_id = $1 and mode = 'test' and currency = 'inr'
       returning id`,
      [projectId],
    );
    return result.rows[0]!.id;
  } finally {
    await client.end();
  }
}
