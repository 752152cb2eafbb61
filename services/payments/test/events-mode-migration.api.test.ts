import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  migrateDatabase,
  migrationsUpTo,
  queryRows,
  type TestDatabase,
} from '@expe/testing';
import { migrationsFolder } from '../src/index.js';

// Migration 0013_events_mode: the outbox says its mode as every other table does. Events a
// database holds keep theirs (backfilled from livemode before it is dropped).
let previous: { folder: string; remove(): void };
let database: TestDatabase;
beforeAll(async () => {
  previous = migrationsUpTo(migrationsFolder, '0012_pending_payouts');
  database = await createTestDatabase('events_mode_migration');
});
afterAll(async () => {
  previous?.remove();
  await database?.drop();
});

describe('migration 0013_events_mode', () => {
  it('when the outbox holds live, test and wallet events, relayed or not, then each keeps its mode as `mode` and livemode is gone', async () => {
    await migrateDatabase(database.url, previous.folder, 'payments');
    await queryRows(
      database.url,
      `insert into payments.events (id, type, livemode, merchant_id, project_id, object_id, data, relayed_at)
         values ('evt_live', 'payment.succeeded', true, 'mer_1', 'prj_1', 'pay_1', '{}', now()),
                ('evt_test', 'payment.succeeded', false, 'mer_1', 'prj_1', 'pay_2', '{}', null),
                ('evt_wallet', 'topup.succeeded', false, null, null, 'top_1', '{}', null)`,
    );

    await migrateDatabase(database.url, migrationsFolder, 'payments');

    expect(
      await queryRows(database.url, 'select id, mode from payments.events order by id'),
    ).toEqual([
      { id: 'evt_live', mode: 'live' },
      { id: 'evt_test', mode: 'test' },
      { id: 'evt_wallet', mode: 'test' },
    ]);
    const columns = await queryRows(
      database.url,
      `select column_name, is_nullable from information_schema.columns
        where table_schema = 'payments' and table_name = 'events' and column_name in ('mode', 'livemode')`,
    );
    expect(columns).toEqual([{ column_name: 'mode', is_nullable: 'NO' }]);
    await expect(
      queryRows(
        database.url,
        `insert into payments.events (id, type, mode, object_id, data) values ('evt_x', 't', 'both', 'o', '{}')`,
      ),
    ).rejects.toThrow(/events_mode/);
    const indexes = await queryRows(
      database.url,
      `select indexname from pg_indexes where schemaname = 'payments' and tablename = 'events' order by indexname`,
    );
    expect(indexes.map((row) => row.indexname)).toEqual([
      'events_payment_id_id_idx',
      'events_pkey',
      'events_project_mode_id_idx',
      'events_unrelayed_idx',
    ]);
  });
});
