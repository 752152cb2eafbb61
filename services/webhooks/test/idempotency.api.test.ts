import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  clientOf,
  createEndpoint,
  expectError,
  newMerchant,
  queryRows,
  servicePerFile,
} from './support.js';

const service = servicePerFile('webhooks_idempotency');
const call = clientOf(service);

const endpointsOf = (merchantId: string) =>
  queryRows(service.databaseUrl, 'select id from webhooks.endpoints where merchant_id = $1', [
    merchantId,
  ]);

describe('Idempotency-Key on the webhook endpoint POSTs', () => {
  it('when an endpoint create is retried with its key, then one endpoint exists and the replay shows the same secret, which the stored answer does not hold in clear', async () => {
    const merchant = newMerchant();
    const key = randomUUID();
    const send = () =>
      call('POST', '/v1/webhook_endpoints', {
        as: merchant.test,
        body: { url: 'http://127.0.0.1:9999/hook', enabled_events: ['*'] },
        idempotencyKey: key,
      });

    const first = await send();
    const again = await send();

    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('cache-control')).toBe('no-store');
    expect(again.text).toBe(first.text);
    expect(await endpointsOf(merchant.id)).toHaveLength(1);
    const stored = await queryRows(
      service.databaseUrl,
      'select 1 from webhooks.idempotency_keys where position($1 in response_body) > 0',
      [String(first.body.secret)],
    );
    expect(stored).toHaveLength(0);
  });

  it('when the same key comes with another body, then it is 422 idempotency_key_reused and nothing more is made', async () => {
    const merchant = newMerchant();
    const key = randomUUID();
    await call('POST', '/v1/webhook_endpoints', {
      as: merchant.test,
      body: { url: 'http://127.0.0.1:9999/a', enabled_events: ['*'] },
      idempotencyKey: key,
    });

    const reused = await call('POST', '/v1/webhook_endpoints', {
      as: merchant.test,
      body: { url: 'http://127.0.0.1:9999/b', enabled_events: ['*'] },
      idempotencyKey: key,
    });

    expectError(reused, 422, 'idempotency_key_reused');
    expect(await endpointsOf(merchant.id)).toHaveLength(1);
  });

  it("when the live key sends the test key's Idempotency-Key, then it is not a replay: keys are scoped per merchant and mode", async () => {
    const merchant = newMerchant();
    const key = randomUUID();
    const body = { url: 'http://127.0.0.1:9999/hook', enabled_events: ['*'] };
    await call('POST', '/v1/webhook_endpoints', { as: merchant.test, body, idempotencyKey: key });

    const live = await call('POST', '/v1/webhook_endpoints', {
      as: merchant.live,
      body,
      idempotencyKey: key,
    });

    // Not the test answer replayed: the live request ran, and loopback is refused in live mode.
    expect(live.headers.get('idempotent-replayed')).toBeNull();
    expectError(live, 400, 'parameter_invalid', 'url');
  });

  it('when a test send is retried with its key, then one delivery is queued and the answer replayed', async () => {
    const merchant = newMerchant();
    const endpoint = await createEndpoint(call, merchant.test, {
      url: 'http://127.0.0.1:9999/hook',
      enabled_events: ['*'],
    });
    const key = randomUUID();
    const send = () =>
      call('POST', `/v1/webhook_endpoints/${endpoint.id}/test`, {
        as: merchant.test,
        body: {},
        idempotencyKey: key,
      });

    const first = await send();
    const again = await send();

    expect(first.status).toBe(202);
    expect(again.text).toBe(first.text);
    const deliveries = await queryRows(
      service.databaseUrl,
      'select id from webhooks.deliveries where endpoint_id = $1',
      [endpoint.id],
    );
    expect(deliveries).toHaveLength(1);
  });
});
