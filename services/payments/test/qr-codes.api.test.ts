import { beforeAll, describe, expect, it } from 'vitest';
import { decodePng } from '@expe/testing';
import { adminPrincipal, expectError, stackPerFile, type TestMerchant } from './support.js';

const stack = stackPerFile('qr_codes');
let merchant: TestMerchant;
let otherMerchant: TestMerchant;

beforeAll(async () => {
  [merchant, otherMerchant] = await stack.registerMerchants('Chai Point', 'Dosa Express');
});

type Key = TestMerchant['testKey'];

const createQr = async (key: Key, body: Record<string, unknown> = {}) => {
  const response = await stack.call('POST', '/v1/qr_codes', {
    as: key,
    body: { usage: 'multiple_use', fixed_amount: false, description: 'Counter 1', ...body },
  });
  expect(response.status, response.text).toBe(201);
  return response.body;
};

const pay = (key: Key, id: string, amount: number, vpa = 'success@expe') =>
  stack.call('POST', `/v1/test_helpers/qr_codes/${id}/pay`, { as: key, body: { amount, vpa } });

const getQr = async (id: string, key: Key = merchant.testKey) => {
  const response = await stack.call('GET', `/v1/qr_codes/${id}`, { as: key });
  expect(response.status, response.text).toBe(200);
  return response.body;
};

const eventTypesOf = async (id: string) => {
  const response = await stack.call('GET', '/v1/events?type=qr_code.*&limit=100', {
    as: merchant.testKey,
  });
  return (response.body.data as any[])
    .filter((event) => event.data.object.id === id)
    .map((event) => event.type)
    .reverse();
};

describe('QR codes', () => {
  it('when a merchant creates a QR code, then it is active with a UPI link and a PNG that decodes to it', async () => {
    const qr = await createQr(merchant.testKey, { metadata: { till: '1' } });

    expect(qr).toMatchObject({
      object: 'qr_code',
      usage: 'multiple_use',
      fixed_amount: false,
      amount: null,
      currency: 'inr',
      description: 'Counter 1',
      status: 'active',
      payments_count: 0,
      payments_amount_received: 0,
      livemode: false,
      metadata: { till: '1' },
    });
    expect(qr.id).toMatch(/^qr_[0-9a-z]{26}$/);
    const upi = new URL(qr.upi_uri);
    expect(upi.protocol).toBe('upi:');
    expect(upi.searchParams.get('pa')).toBe(`${merchant.id}@expe`);
    expect(upi.searchParams.get('pn')).toBe('Chai Point');
    expect(upi.searchParams.get('tr')).toBe(qr.id);
    expect(upi.searchParams.has('am')).toBe(false);
    expect(qr.image_url).toBe(`https://checkout.expe.test/v1/qr_codes/${qr.id}/image`);
    const image = await stack.call('GET', `/v1/qr_codes/${qr.id}/image`, { as: merchant.testKey });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(decodePng(image.bytes)).toBe(qr.upi_uri);
  });

  it('when a multiple-use QR is paid twice by UPI, then both payments link to it and it counts them', async () => {
    const qr = await createQr(merchant.testKey);

    const first = await pay(merchant.testKey, qr.id, 4_000);
    const second = await pay(merchant.testKey, qr.id, 6_500);

    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({
      status: 'succeeded',
      method: 'upi',
      qr_code: qr.id,
      amount: 4_000,
    });
    expect(second.body).toMatchObject({ status: 'succeeded', qr_code: qr.id });
    expect(await getQr(qr.id)).toMatchObject({
      status: 'active',
      payments_count: 2,
      payments_amount_received: 10_500,
    });
    const list = await stack.call('GET', `/v1/qr_codes/${qr.id}/payments`, {
      as: merchant.testKey,
    });
    expect(list.body.data.map((p: any) => p.id)).toEqual([second.body.id, first.body.id]);
    expect(await eventTypesOf(qr.id)).toEqual([
      'qr_code.created',
      'qr_code.credited',
      'qr_code.credited',
    ]);
  });

  it('when a single-use fixed-amount QR is paid, then it closes; another payment is 409 qr_code_closed', async () => {
    const qr = await createQr(merchant.testKey, {
      usage: 'single_use',
      fixed_amount: true,
      amount: 2_500,
    });
    expect(new URL(qr.upi_uri).searchParams.get('am')).toBe('25.00');

    expectError(
      await pay(merchant.testKey, qr.id, 2_400),
      400,
      'qr_code_amount_mismatch',
      'amount',
    );
    const paid = await pay(merchant.testKey, qr.id, 2_500);
    expect(paid.status, paid.text).toBe(201);
    const payments = await stack.count('payments');

    expectError(await pay(merchant.testKey, qr.id, 2_500), 409, 'qr_code_closed');
    expect(await stack.count('payments')).toBe(payments);
    expect(await getQr(qr.id)).toMatchObject({
      status: 'closed',
      close_reason: 'paid',
      payments_count: 1,
      payments_amount_received: 2_500,
    });
    expect(await eventTypesOf(qr.id)).toEqual([
      'qr_code.created',
      'qr_code.credited',
      'qr_code.closed',
    ]);
  });

  it('when 20 UPI apps pay one single-use QR code at once, then exactly one payment succeeds and the code counts it once', async () => {
    const qr = await createQr(merchant.testKey, {
      usage: 'single_use',
      fixed_amount: true,
      amount: 1_000,
    });

    const answers = await Promise.all(
      Array.from({ length: 20 }, () => pay(merchant.testKey, qr.id, 1_000)),
    );

    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    for (const answer of answers.filter((a) => a.status !== 201)) {
      expectError(answer, 409, 'qr_code_closed');
    }
    expect(await getQr(qr.id)).toMatchObject({
      status: 'closed',
      payments_count: 1,
      payments_amount_received: 1_000,
    });
    expect(await stack.count('payments', `qr_code_id = '${qr.id}'`)).toBe(1);
    const report = await stack.call('GET', '/v1/admin/reconciliation', { as: adminPrincipal() });
    expect(report.body.ok, JSON.stringify(report.body)).toBe(true);
  });

  it('when the UPI transaction fails, then 402 upi_transaction_failed, its payment is canceled and the QR is not credited', async () => {
    const qr = await createQr(merchant.testKey, { usage: 'single_use' });

    const failed = await pay(merchant.testKey, qr.id, 3_000, 'failure@expe');

    expectError(failed, 402, 'upi_transaction_failed');
    expect(failed.body.error.payment).toMatchObject({ status: 'canceled', qr_code: qr.id });
    expect(await getQr(qr.id)).toMatchObject({ status: 'active', payments_count: 0 });
    const retried = await pay(merchant.testKey, qr.id, 3_000);
    expect(retried.status, retried.text).toBe(201);
  });

  it('when a pending UPI payment completes, then the single-use QR is credited and closed; meanwhile it takes no other payment', async () => {
    const qr = await createQr(merchant.testKey, { usage: 'single_use' });

    const pending = await pay(merchant.testKey, qr.id, 1_500, 'pending@expe');
    expect(pending.status, pending.text).toBe(201);
    expect(pending.body.status).toBe('processing');
    expectError(await pay(merchant.testKey, qr.id, 1_500), 409, 'qr_code_closed');

    // The sandbox bank approves it when its delay has passed on the project clock.
    const advance = await stack.call('POST', '/v1/test_helpers/clock/advance', {
      as: merchant.testKey,
      body: { seconds: 60 },
    });
    expect(advance.status, advance.text).toBe(200);
    const done = await getQr(qr.id);
    expect(done).toMatchObject({
      payments_count: 1,
      payments_amount_received: 1_500,
      close_reason: 'paid',
    });
  });

  it('when close_by passes on the project clock, then the QR closes and refuses payments', async () => {
    const clock = await stack.call('GET', '/v1/test_helpers/clock', { as: merchant.testKey });
    expect(clock.status, clock.text).toBe(200);
    const qr = await createQr(merchant.testKey, { close_by: clock.body.now + 3_600 });

    const advance = await stack.call('POST', '/v1/test_helpers/clock/advance', {
      as: merchant.testKey,
      body: { seconds: 3_601 },
    });
    expect(advance.status, advance.text).toBe(200);

    expect(await getQr(qr.id)).toMatchObject({
      status: 'closed',
      close_reason: 'close_by_reached',
      closed_at: clock.body.now + 3_600,
    });
    expectError(await pay(merchant.testKey, qr.id, 1_000), 409, 'qr_code_closed');
    expect(await eventTypesOf(qr.id)).toEqual(['qr_code.created', 'qr_code.closed']);
  });

  it('when the merchant closes a QR, then it is closed once; closing again is 409', async () => {
    const qr = await createQr(merchant.testKey);
    const closed = await stack.call('POST', `/v1/qr_codes/${qr.id}/close`, {
      as: merchant.testKey,
    });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', close_reason: 'closed_by_merchant' });
    expectError(
      await stack.call('POST', `/v1/qr_codes/${qr.id}/close`, { as: merchant.testKey }),
      409,
      'qr_code_closed',
    );
  });

  it('when the input is bad, then 400 names the field and no QR code is written', async () => {
    const before = await stack.count('qr_codes');
    const post = (body: object) =>
      stack.call('POST', '/v1/qr_codes', { as: merchant.testKey, body });
    const base = { usage: 'single_use', fixed_amount: false, description: 'x' };

    expectError(await post({ ...base, usage: 'twice' }), 400, 'parameter_invalid', 'usage');
    expectError(await post({ ...base, fixed_amount: true }), 400, 'parameter_missing', 'amount');
    expectError(await post({ ...base, amount: 100 }), 400, 'parameter_invalid', 'amount');
    expectError(
      await post({ ...base, fixed_amount: true, amount: 10.5 }),
      400,
      'parameter_invalid',
      'amount',
    );
    expectError(await post({ ...base, description: '' }), 400, 'parameter_invalid', 'description');
    expectError(await post({ ...base, close_by: 1_000 }), 400, 'parameter_invalid', 'close_by');
    expectError(
      await post({ usage: 'single_use', description: 'x' }),
      400,
      'parameter_missing',
      'fixed_amount',
    );
    expect(await stack.count('qr_codes')).toBe(before);

    const qr = await createQr(merchant.testKey);
    const payments = await stack.count('payments');
    expectError(
      await pay(merchant.testKey, qr.id, 100, 'someone@bank'),
      400,
      'parameter_invalid',
      'vpa',
    );
    expectError(await pay(merchant.testKey, qr.id, 0), 400, 'parameter_invalid', 'amount');
    expect(await stack.count('payments')).toBe(payments);
  });

  it('when another merchant or a live key touches a QR code, then 404; the pay helper is 404 to live keys', async () => {
    const qr = await createQr(merchant.testKey);

    for (const key of [otherMerchant.testKey, merchant.liveKey]) {
      expectError(
        await stack.call('GET', `/v1/qr_codes/${qr.id}`, { as: key }),
        404,
        'resource_missing',
      );
      expect((await stack.call('GET', `/v1/qr_codes/${qr.id}/image`, { as: key })).status).toBe(
        404,
      );
      expectError(
        await stack.call('POST', `/v1/qr_codes/${qr.id}/close`, { as: key }),
        404,
        'resource_missing',
      );
      const list = await stack.call('GET', '/v1/qr_codes?limit=100', { as: key });
      expect(list.body.data.map((q: any) => q.id)).not.toContain(qr.id);
    }
    expectError(await pay(otherMerchant.testKey, qr.id, 100), 404, 'resource_missing');
    const liveQr = await createQr(merchant.liveKey);
    expectError(await pay(merchant.liveKey, liveQr.id, 100), 404, 'route_not_found');
    expect(await getQr(qr.id)).toMatchObject({ status: 'active', payments_count: 0 });
  });

  it('when QR codes are listed, then newest first with a status filter', async () => {
    const a = await createQr(otherMerchant.testKey);
    const b = await createQr(otherMerchant.testKey);
    await stack.call('POST', `/v1/qr_codes/${a.id}/close`, { as: otherMerchant.testKey });

    const all = await stack.call('GET', '/v1/qr_codes', { as: otherMerchant.testKey });
    expect(all.body.data.map((q: any) => q.id)).toEqual([b.id, a.id]);
    const active = await stack.call('GET', '/v1/qr_codes?status=active', {
      as: otherMerchant.testKey,
    });
    expect(active.body.data.map((q: any) => q.id)).toEqual([b.id]);
    expectError(
      await stack.call('GET', '/v1/qr_codes?status=open', { as: otherMerchant.testKey }),
      400,
      'parameter_invalid',
      'status',
    );
  });
});
