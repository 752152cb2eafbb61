import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { newId, openDatabase, type Principal } from '@expe/server-kit';
import {
  createTestRedisPrefix,
  insertFirstProjectCases,
  insertMerchantsProject as project,
  previousVersionDatabases,
  projectIdColumns,
  queryRows as sql,
} from '@expe/testing';
import { loadWebhooksConfig, migrationsFolder, startWebhooks } from '../src/index.js';
import { apiClient, testEnv } from './support.js';

// Issue 19's data migration (0004_project_scope): rows made before projects isolated data go to
// the merchant's first project, its oldest live project by (created_at, id), or its oldest
// project when all are deleted. The database starts at the previous migration, holding rows as
// the previous version wrote them, and merchants.projects as the merchants service keeps it.
const databases = previousVersionDatabases({
  migrationsFolder,
  previousTag: '0003_outbox',
  schema: 'webhooks',
});

/** A database at the previous migration, with merchants.projects as the merchants service has it. */
async function previousVersionDatabase(): Promise<string> {
  const database = await databases.create('webhooks_project_migration', {
    merchantsProjects: true,
  });
  return database.url;
}

/** An endpoint, its secret, an event, a delivery and an attempt, as the previous version wrote them. */
async function previousVersionEndpoint(url: string, merchantId: string, id: string) {
  await sql(
    url,
    `insert into webhooks.endpoints (id, merchant_id, mode, url, enabled_events)
       values ($1, $2, 'test', 'https://shop.example/hooks', '{*}')`,
    [id, merchantId],
  );
  await sql(
    url,
    `insert into webhooks.endpoint_secrets (id, endpoint_id, ciphertext) values ($1, $2, 'v1.x')`,
    [`whs_${id}`, id],
  );
  await sql(
    url,
    `insert into webhooks.events (id, merchant_id, mode, type, payload)
       values ($1, $2, 'test', 'payment.created', '{}')`,
    [`evt_${id}`, merchantId],
  );
  await sql(
    url,
    `insert into webhooks.deliveries (id, endpoint_id, event_id, job_id, status, attempts, completed_at)
       values ($1, $2, $3, $4, 'succeeded', 1, now())`,
    [`whd_${id}`, id, `evt_${id}`, `evt_${id}-${id}`],
  );
  await sql(
    url,
    `insert into webhooks.outbox (id, merchant_id, mode, type, data)
       values ($1, $2, 'test', 'webhook_endpoint.disabled', '{}')`,
    [`evt_out_${id}`, merchantId],
  );
}

const projectOf = async (url: string, table: string, id: string) =>
  (await sql(url, `select project_id from webhooks.${table} where id = $1`, [id]))[0]?.project_id;

describe('migration 0004_project_scope', () => {
  it("when endpoints were made before projects isolated data, then each goes to its merchant's oldest live project, or its oldest when all are deleted", async () => {
    const url = await previousVersionDatabase();
    // Merchant A's first project is prj_a_first, merchant B's prj_b_old.
    await insertFirstProjectCases(url);
    await previousVersionEndpoint(url, 'mer_a', 'we_a');
    await previousVersionEndpoint(url, 'mer_b', 'we_b');

    await databases.upgrade(url);

    expect({
      endpointA: await projectOf(url, 'endpoints', 'we_a'),
      eventA: await projectOf(url, 'events', 'evt_we_a'),
      outboxA: await projectOf(url, 'outbox', 'evt_out_we_a'),
      endpointB: await projectOf(url, 'endpoints', 'we_b'),
      eventB: await projectOf(url, 'events', 'evt_we_b'),
      outboxB: await projectOf(url, 'outbox', 'evt_out_we_b'),
    }).toEqual({
      endpointA: 'prj_a_first',
      eventA: 'prj_a_first',
      outboxA: 'prj_a_first',
      endpointB: 'prj_b_old',
      eventB: 'prj_b_old',
      outboxB: 'prj_b_old',
    });
    const notNull = await projectIdColumns(url, 'webhooks');
    expect(notNull).toEqual([
      { table_name: 'endpoints', is_nullable: 'NO' },
      { table_name: 'events', is_nullable: 'NO' },
      { table_name: 'outbox', is_nullable: 'NO' },
    ]);
    // Nothing else moved: the delivery and the secret still hang on the endpoint.
    expect(await sql(url, 'select endpoint_id from webhooks.deliveries order by id')).toEqual([
      { endpoint_id: 'we_a' },
      { endpoint_id: 'we_b' },
    ]);
  });

  it("when the service runs on the migrated database, then the first project's key sees the old endpoint and another project's key does not", async () => {
    const url = await previousVersionDatabase();
    await project(url, 'prj_c_first', 'mer_c', '2026-01-01T00:00:00Z');
    await project(url, 'prj_c_other', 'mer_c', '2026-02-01T00:00:00Z');
    const endpointId = newId('we');
    await previousVersionEndpoint(url, 'mer_c', endpointId);
    const redis = createTestRedisPrefix('webhooks_project_migration');
    const service = await startWebhooks(loadWebhooksConfig(testEnv(url, redis.prefix)));
    try {
      const call = apiClient(service.url);
      const keyOf = (projectId: string): Principal => ({
        kind: 'api_key',
        keyId: `key_${projectId}`,
        keyType: 'secret',
        merchantId: 'mer_c',
        projectId,
        mode: 'test',
      });

      const path = `/v1/webhook_endpoints/${endpointId}`;
      const first = await call('GET', path, { as: keyOf('prj_c_first') });
      const other = await call('GET', path, { as: keyOf('prj_c_other') });

      expect(first.status).toBe(200);
      expect(other.status).toBe(404);
    } finally {
      await service.close();
      await redis.cleanup();
    }
  });

  it('when a database has no merchants.projects (a fresh install), then it migrates', async () => {
    const database = await databases.create('webhooks_project_migration_fresh');

    await databases.upgrade(database.url);

    const columns = await projectIdColumns(database.url, 'webhooks');
    expect(columns.map((row) => row.table_name)).toEqual(['endpoints', 'events', 'outbox']);
  });

  it('when the database is embedded PGlite without merchants, then every migration applies', async () => {
    const pglite = new PGlite();
    const handle = openDatabase({ pglite });
    try {
      await handle.migrate({ folder: migrationsFolder, schema: 'webhooks' });
      const result = await pglite.query<{ n: number }>(
        `select count(*)::int as n from information_schema.columns
          where table_schema = 'webhooks' and column_name = 'project_id'`,
      );
      expect(result.rows[0]?.n).toBe(3);
    } finally {
      await handle.close();
    }
  });

  it('when a merchant with endpoints has no project at all, then the migration stops and says why, leaving the previous schema', async () => {
    const url = await previousVersionDatabase();
    await previousVersionEndpoint(url, 'mer_orphan', 'we_orphan');

    await expect(databases.upgrade(url)).rejects.toThrow(/without any project/);

    expect(await projectIdColumns(url, 'webhooks')).toEqual([]);
  });
});
