import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Principal } from '@expe/server-kit';
import {
  insertFirstProjectCases,
  insertMerchantsProject as project,
  previousVersionDatabases,
  projectIdColumns,
  queryRows as sql,
  type TestDatabase,
} from '@expe/testing';
import { cardFingerprint } from '../src/instruments/domain/saved-cards.js';
import { migrationsFolder, reconcileLedger } from '../src/index.js';
import { apiClient, startStack, type Stack } from './support.js';

// Issue 19's data migration (0006_project_scope): rows made before projects isolated data go to
// the merchant's first project, its oldest live project by (created_at, id), or its oldest
// project when all are deleted; rows archived by a test-data reset stay archived under
// `<first project>~reset~<n>`. The database starts at the previous migration, holding rows as
// the previous version wrote them (balanced ledger included, and a key's Idempotency-Keys under
// `merchant:<id>:<mode>`), and merchants.projects as the merchants service keeps it.
const databases = previousVersionDatabases({
  migrationsFolder,
  previousTag: '0005_customers_qr_links',
  schema: 'payments',
});

/**
 * What the previous version wrote for merchant `m` (test mode, fees off): a card payment of
 * 10,000 that became available, a payout of 2,000 from it, a customer with a saved card, a QR
 * code, a payment link, events, an advanced test clock and the fee setting; and, from an earlier
 * test-data reset (`m~reset~old`), an archived payment of 5,000 still pending, with its balance.
 * The ledger is balanced and reconciles, as the previous version kept it.
 */
async function previousVersionRows(url: string, m: string): Promise<void> {
  const archived = `${m}~reset~old`;
  const id = idOf(m);
  await sql(
    url,
    `begin;
     insert into payments.accounts (id, type, owner_id, mode, currency, balance, allows_negative)
       values ('acc_fund_${id}', 'system', 'sandbox_funding_${m}', null, 'inr', 0, true),
              ('acc_payouts_${id}', 'system', 'sandbox_payouts_${m}', null, 'inr', 0, true),
              ('acc_avail_${id}', 'merchant', '${m}', 'test', 'inr', 8000, false),
              ('acc_pending_${id}', 'merchant_pending', '${m}', 'test', 'inr', 0, false),
              ('acc_arch_${id}', 'merchant_pending', '${archived}', 'test', 'inr', 5000, false);
     insert into payments.customers (id, merchant_id, mode, email) values ('cus_${id}', '${m}', 'test', 'a@example.com');
     insert into payments.payment_methods (id, merchant_id, mode, customer_id, type, card_brand, card_last4, card_exp_month, card_exp_year, card_token)
       values ('pm_${id}', '${m}', 'test', 'cus_${id}', 'card', 'visa', '4242', 12, 2030, 'tok_visa');
     insert into payments.qr_codes (id, merchant_id, merchant_name, mode, usage, fixed_amount, description, image_url, status)
       values ('qr_${id}', '${m}', 'Shop', 'test', 'multiple_use', false, 'Counter', 'https://x/qr.png', 'active');
     insert into payments.payment_links (id, merchant_id, merchant_name, mode, amount, currency, description, url, reusable)
       values ('plink_${id}', '${m}', 'Shop', 'test', 500, 'inr', 'Chai', 'https://x/l', true);
     insert into payments.payments (id, merchant_id, merchant_name, mode, amount, amount_received, currency, status, method, expires_at, succeeded_at, customer_id)
       values ('pay_${id}', '${m}', 'Shop', 'test', 10000, 10000, 'inr', 'succeeded', 'card', now(), now(), 'cus_${id}'),
              ('pay_arch_${id}', '${archived}', 'Shop', 'test', 5000, 5000, 'inr', 'succeeded', 'card', now(), now(), null);
     insert into payments.ledger_transactions (id, kind, reference)
       values ('ltx_pay_${id}', 'payment', 'pay_${id}'), ('ltx_av_${id}', 'availability', 'pay_${id}'),
              ('ltx_po_${id}', 'payout', 'po_${id}'), ('ltx_arch_${id}', 'payment', 'pay_arch_${id}');
     insert into payments.ledger_entries (id, transaction_id, account_id, amount, currency)
       values ('le_1_${m}', 'ltx_pay_${id}', 'acc_fund_${id}', -10000, 'inr'),
              ('le_2_${m}', 'ltx_pay_${id}', 'acc_pending_${id}', 10000, 'inr'),
              ('le_3_${m}', 'ltx_av_${id}', 'acc_pending_${id}', -10000, 'inr'),
              ('le_4_${m}', 'ltx_av_${id}', 'acc_avail_${id}', 10000, 'inr'),
              ('le_5_${m}', 'ltx_po_${id}', 'acc_avail_${id}', -2000, 'inr'),
              ('le_6_${m}', 'ltx_po_${id}', 'acc_payouts_${id}', 2000, 'inr'),
              ('le_7_${m}', 'ltx_arch_${id}', 'acc_fund_${id}', -5000, 'inr'),
              ('le_8_${m}', 'ltx_arch_${id}', 'acc_arch_${id}', 5000, 'inr');
     insert into payments.payouts (id, merchant_id, mode, amount, currency, status, destination_vpa, arrival_date)
       values ('po_${id}', '${m}', 'test', 2000, 'inr', 'paid', 'success@expe', now());
     insert into payments.balance_transactions (id, merchant_id, mode, type, amount, fee, net, currency, source, payment_id, ledger_transaction_id, status, available_on)
       values ('bt_pay_${id}', '${m}', 'test', 'payment', 10000, 0, 10000, 'inr', 'pay_${id}', 'pay_${id}', 'ltx_pay_${id}', 'available', now()),
              ('bt_po_${id}', '${m}', 'test', 'payout', -2000, 0, -2000, 'inr', 'po_${id}', null, 'ltx_po_${id}', 'available', now()),
              ('bt_arch_${id}', '${archived}', 'test', 'payment', 5000, 0, 5000, 'inr', 'pay_arch_${id}', 'pay_arch_${id}', 'ltx_arch_${id}', 'pending', now());
     insert into payments.events (id, type, livemode, merchant_id, object_id, payment_id, data)
       values ('evt_${id}', 'payment.succeeded', false, '${m}', 'pay_${id}', 'pay_${id}', '{"object":"payment"}'),
              ('evt_arch_${id}', 'payment.succeeded', false, '${archived}', 'pay_arch_${id}', 'pay_arch_${id}', '{"object":"payment"}'),
              ('evt_wallet_${id}', 'wallet.topup.succeeded', false, null, 'top_${id}', null, '{}');
     insert into payments.test_clocks (merchant_id, offset_seconds) values ('${m}', 3600);
     insert into payments.balance_settings (merchant_id, fees_enabled) values ('${m}', false);
     insert into payments.idempotency_keys (scope, key, request_hash, response_status, response_body, expires_at)
       values ('merchant:${m}:test', 'key_${id}', 'h', 201, '{}', now() + interval '1 day');
     commit;`,
  );
}

/** An id suffix the API accepts (`pay_` + 10 to 40 of [0-9a-z]) made from a merchant id. */
const idOf = (m: string) => `${m.replace(/[^0-9a-z]/g, '')}0000000000`;

/** A database at the previous migration, with merchants.projects, holding nothing yet. */
function previousVersionDatabase(): Promise<TestDatabase> {
  return databases.create('payments_project_migration', { merchantsProjects: true });
}

/** The tables migration 0006 gave a project_id. */
const projectScopedTables = [
  'balance_settings',
  'balance_transactions',
  'customers',
  'disputes',
  'events',
  'payment_links',
  'payment_methods',
  'payments',
  'payouts',
  'qr_codes',
  'refunds',
  'test_clocks',
];

const scopedTables = [
  ['payments', 'pay'],
  ['customers', 'cus'],
  ['payment_methods', 'pm'],
  ['qr_codes', 'qr'],
  ['payment_links', 'plink'],
  ['payouts', 'po'],
  ['balance_transactions', 'bt_pay'],
  ['events', 'evt'],
] as const;

async function projectsOf(url: string, m: string): Promise<Record<string, unknown>> {
  const found: Record<string, unknown> = {};
  for (const [table, prefix] of scopedTables) {
    const [row] = await sql(url, `select project_id from payments.${table} where id = $1`, [
      `${prefix}_${idOf(m)}`,
    ]);
    found[table] = row?.project_id;
  }
  return found;
}

async function reconcile(url: string) {
  const handle = openDatabase({ url, maxConnections: 2 });
  try {
    return await reconcileLedger(handle.db);
  } finally {
    await handle.close();
  }
}

describe('migration 0006_project_scope', () => {
  it("when rows were made before projects isolated data, then each goes to its merchant's oldest live project, or its oldest when all are deleted, and archived rows stay archived", async () => {
    const { url } = await previousVersionDatabase();
    // Merchant A's first project is prj_a_first, merchant B's prj_b_old.
    await insertFirstProjectCases(url);
    await previousVersionRows(url, 'mer_a');
    await previousVersionRows(url, 'mer_b');

    await databases.upgrade(url);
    const a = idOf('mer_a');

    const every = (projectId: string) =>
      Object.fromEntries(scopedTables.map(([table]) => [table, projectId]));
    expect(await projectsOf(url, 'mer_a')).toEqual(every('prj_a_first'));
    expect(await projectsOf(url, 'mer_b')).toEqual(every('prj_b_old'));
    // Migration 0008: the saved card is a PaymentMethod with the fingerprint the service computes.
    const card = { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030, token: 'tok_visa' };
    expect(
      await sql(
        url,
        'select card_fingerprint, metadata, card_funding from payments.payment_methods where id = $1',
        [`pm_${a}`],
      ),
    ).toEqual([
      {
        card_fingerprint: cardFingerprint('prj_a_first', card),
        metadata: {},
        card_funding: 'credit',
      },
    ]);
    const archived = await sql(
      url,
      `select (select project_id from payments.payments where id = $1) as payment,
              (select merchant_id from payments.payments where id = $1) as merchant,
              (select project_id from payments.balance_transactions where id = $2) as bt,
              (select project_id from payments.events where id = $3) as event,
              (select project_id from payments.events where id = $4) as wallet_event`,
      [`pay_arch_${a}`, `bt_arch_${a}`, `evt_arch_${a}`, `evt_wallet_${a}`],
    );
    expect(archived).toEqual([
      {
        payment: 'prj_a_first~reset~old',
        merchant: 'mer_a~reset~old',
        bt: 'prj_a_first~reset~old',
        event: 'prj_a_first~reset~old',
        wallet_event: null,
      },
    ]);
    const accounts = await sql(
      url,
      `select owner_id from payments.accounts where id like $1 order by id`,
      [`%${a}`],
    );
    expect(accounts.map((row) => row.owner_id)).toEqual([
      'prj_a_first~reset~old', // acc_arch
      'prj_a_first', // acc_avail
      'sandbox_funding_mer_a', // system accounts keep their owner
      'sandbox_payouts_mer_a',
      'prj_a_first', // acc_pending
    ]);
    expect(
      await sql(url, 'select scope from payments.idempotency_keys where key = $1', [`key_${a}`]),
    ).toEqual([{ scope: 'project:prj_a_first:test' }]);
    expect(
      await sql(url, 'select project_id, offset_seconds::int from payments.test_clocks order by 1'),
    ).toEqual([
      { project_id: 'prj_a_first', offset_seconds: 3600 },
      { project_id: 'prj_b_old', offset_seconds: 3600 },
    ]);
    const nullable = await projectIdColumns(url, 'payments');
    // Every table 0006 scoped has its project, NOT NULL but for events (wallet events have none);
    // tables made by later migrations are scoped from their start, NOT NULL as well.
    expect(nullable.filter((row) => projectScopedTables.includes(row.table_name))).toEqual(
      projectScopedTables.map((table) => ({
        table_name: table,
        is_nullable: table === 'events' ? 'YES' : 'NO',
      })),
    );
    expect(nullable.filter((row) => row.is_nullable === 'YES')).toEqual([
      { table_name: 'events', is_nullable: 'YES' },
    ]);
    const report = await reconcile(url);
    expect(report.ok, JSON.stringify(report.checks.filter((check) => !check.ok))).toBe(true);
    expect(report.projects).toContainEqual(
      expect.objectContaining({ project_id: 'prj_a_first', available: 8000, ok: true }),
    );
    expect(report.projects).toContainEqual(
      expect.objectContaining({ project_id: 'prj_a_first~reset~old', pending: 5000, ok: true }),
    );
  });

  it('when a database has no merchants.projects (a fresh install), then it migrates', async () => {
    const database = await databases.create('payments_project_migration_fresh');

    await databases.upgrade(database.url);

    const columns = await projectIdColumns(database.url, 'payments');
    expect(columns.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(projectScopedTables),
    );
  });

  it('when a merchant with payments has no project at all, then the migration stops and says why, leaving the previous schema', async () => {
    const { url } = await previousVersionDatabase();
    await previousVersionRows(url, 'mer_orphan');

    await expect(databases.upgrade(url)).rejects.toThrow(/without any project/);

    expect(await projectIdColumns(url, 'payments')).toEqual([]);
  });
});

describe('the service on a migrated database', () => {
  let stack: Stack | undefined;

  // Stopped after each test, before previousVersionDatabases' afterEach drops the database: a
  // drop under a running service ends its connections mid-query (57P01), an unhandled error for
  // Vitest.
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  it("when the first project's key calls, then it sees the old payment, balance and clock; another project's key sees none of them", async () => {
    const database = await previousVersionDatabase();
    await project(database.url, 'prj_c_first', 'mer_c', '2026-01-01T00:00:00Z');
    await project(database.url, 'prj_c_other', 'mer_c', '2026-02-01T00:00:00Z');
    await previousVersionRows(database.url, 'mer_c');
    await databases.upgrade(database.url);
    stack = await startStack('project_migration_service', {
      DATABASE_URL: database.url,
      SCHEDULER_INTERVAL_MS: '0',
    });
    const call = apiClient(stack.payments.url);
    const keyOf = (projectId: string): Principal => ({
      kind: 'api_key',
      keyId: `key_${projectId}`,
      keyType: 'secret',
      merchantId: 'mer_c',
      projectId,
      mode: 'test',
    });
    const first = keyOf('prj_c_first');
    const other = keyOf('prj_c_other');

    const payment = await call('GET', `/v1/payments/pay_${idOf('mer_c')}`, { as: first });
    const hidden = await call('GET', `/v1/payments/pay_${idOf('mer_c')}`, { as: other });
    const balance = await call('GET', '/v1/balance', { as: first });
    const otherBalance = await call('GET', '/v1/balance', { as: other });
    const clock = await call('GET', '/v1/test_helpers/clock', { as: first });
    const otherClock = await call('GET', '/v1/test_helpers/clock', { as: other });

    expect(payment.status, payment.text).toBe(200);
    expect(hidden.status, hidden.text).toBe(404);
    const sum = (items: { amount: number }[]) => items.reduce((total, i) => total + i.amount, 0);
    expect(sum(balance.body.available)).toBe(8000);
    expect(sum(otherBalance.body.available) + sum(otherBalance.body.pending)).toBe(0);
    expect(clock.body.offset_seconds).toBe(3600);
    expect(otherClock.body.offset_seconds).toBe(0);
  });
});
