import { createExpeClient, ExpeApiError, verifyWebhookSignature } from '@expe/sdk';
import { asPrincipal } from '@expe/testing';
import { describe, expect, it } from 'vitest';
import {
  newMerchant,
  receiverPerFile,
  servicePerFile,
  waitFor,
  type TestMerchant,
} from './support.js';

const service = servicePerFile('webhooks_sdk');
const receiver = receiverPerFile();

/**
 * The SDK pointed straight at the service, with a fetch that adds what the gateway would:
 * the signed identity of the key's merchant (the gateway resolves `Authorization` to it).
 */
function sdkFor(merchant: TestMerchant) {
  return createExpeClient({
    apiKey: 'sk_test_not_checked_here',
    baseUrl: service.url,
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), ...asPrincipal(merchant.test) },
      }),
  });
}

describe('@expe/sdk against the webhooks service', () => {
  it('when a merchant manages an endpoint with the SDK, then every call is typed and works', async () => {
    const merchant = newMerchant();
    const expe = sdkFor(merchant);

    const created = await expe.webhookEndpoints.create({
      url: receiver.url('/sdk'),
      enabled_events: ['payment.succeeded'],
      description: 'from the SDK',
    });
    const listed = await expe.webhookEndpoints.list({ limit: 5 });
    const updated = await expe.webhookEndpoints.update(created.id, {
      enabled_events: ['*'],
    });
    const rotated = await expe.webhookEndpoints.rotateSecret(created.id, { expires_in: 0 });
    const delivery = await expe.webhookEndpoints.sendTest(created.id);
    await waitFor(() => receiver.requests.length === 1, 10_000, 'the test webhook');
    await waitFor(
      async () => (await expe.webhookEndpoints.listDeliveries(created.id)).data.length === 1,
    );
    const log = await expe.webhookEndpoints.listDeliveries(created.id, {
      event: delivery.event.id,
    });
    const redelivery = await expe.webhookEndpoints.redeliver(created.id, {
      event: delivery.event.id,
    });
    const deleted = await expe.webhookEndpoints.del(created.id);

    expect(created.secret).toMatch(/^whsec_/);
    expect(listed.data.map((endpoint) => endpoint.id)).toEqual([created.id]);
    expect(updated.enabled_events).toEqual(['*']);
    expect(rotated.secret).not.toBe(created.secret);
    const [request] = receiver.requests;
    const header = String(request!.headers['expe-signature']);
    // expires_in 0: the old secret stopped signing at once.
    expect(verifyWebhookSignature(request!.rawBody, header, rotated.secret!)).toMatchObject({
      type: 'webhook_endpoint.test',
    });
    expect(() => verifyWebhookSignature(request!.rawBody, header, created.secret!)).toThrow();
    expect(log.data[0]).toMatchObject({ delivery: delivery.id, outcome: 'succeeded' });
    expect(redelivery.id).not.toBe(delivery.id);
    expect(deleted).toEqual({ id: created.id, object: 'webhook_endpoint', deleted: true });
  });

  it('when the API refuses a call, then the SDK throws ExpeApiError naming the field', async () => {
    const expe = sdkFor(newMerchant());

    const error = await expe.webhookEndpoints
      .create({ url: 'ftp://nope.example', enabled_events: ['*'] })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ExpeApiError);
    expect(error).toMatchObject({ status: 400, code: 'parameter_invalid', param: 'url' });
  });
});
