import { describe, expect, it } from 'vitest';
import {
  expectError,
  expectOneAnswerPerKey,
  reconciliation,
  stackPerFile,
  topUp,
  uniqueKey,
  walletBalance,
} from './support.js';

// A transfer claims its Idempotency-Key inside the one statement that moves the money
// (payments.create_wallet_transfer, migration 0014): the same rules as every other POST.
const stack = stackPerFile('wallet_transfer_idempotency');

async function pair(label: string, funds: number) {
  const sender = await stack.registerUser(`${label} Sender`);
  const recipient = await stack.registerUser(`${label} Recipient`);
  if (funds > 0) await topUp(stack, sender, funds);
  return { sender, recipient };
}

const writesOf = async (transferIds: string) => ({
  transfers: await stack.count('transfers', `id in (${transferIds})`),
  events: await stack.count(
    'events',
    `type = 'transfer.completed' and object_id in (${transferIds})`,
  ),
  postings: await stack.count(
    'ledger_transactions',
    `kind = 'transfer' and reference in (${transferIds})`,
  ),
});

describe('POST /v1/wallet/transfers with an Idempotency-Key', () => {
  it('when a transfer is retried with its key, then the first answer is replayed byte for byte and the money moves once, with one event', async () => {
    const { sender, recipient } = await pair('Retry', 10_000);
    const key = uniqueKey();
    const body = { to: recipient.vpa, amount: 2_500, note: 'dosa' };

    const first = await stack.call('POST', '/v1/wallet/transfers', {
      as: sender.principal,
      idempotencyKey: key,
      body,
    });
    const replay = await stack.call('POST', '/v1/wallet/transfers', {
      as: sender.principal,
      idempotencyKey: key,
      body,
    });

    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ object: 'transfer', amount: 2_500, note: 'dosa' });
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.bytes.equals(first.bytes)).toBe(true);
    expect(await writesOf(`'${first.body.id}'`)).toEqual({ transfers: 1, events: 1, postings: 1 });
    expect(await walletBalance(stack, sender)).toBe(7_500);
    expect(await walletBalance(stack, recipient)).toBe(2_500);
  });

  it('when the key comes again with another body, then 422 idempotency_key_reused and nothing more moves', async () => {
    const { sender, recipient } = await pair('Reuse', 10_000);
    const key = uniqueKey();
    await stack.call('POST', '/v1/wallet/transfers', {
      as: sender.principal,
      idempotencyKey: key,
      body: { to: recipient.vpa, amount: 1_000 },
    });

    const reused = await stack.call('POST', '/v1/wallet/transfers', {
      as: sender.principal,
      idempotencyKey: key,
      body: { to: recipient.vpa, amount: 2_000 },
    });

    expectError(reused, 422, 'idempotency_key_reused');
    expect(await walletBalance(stack, sender)).toBe(9_000);
    expect(await stack.count('transfers', `from_user_id = '${sender.principal.userId}'`)).toBe(1);
  });

  it('when 30 transfers with one key race, then the money moves once and every answer is 409 or the identical 201', async () => {
    const { sender, recipient } = await pair('Race', 10_000);
    const key = uniqueKey();

    const responses = await Promise.all(
      Array.from({ length: 30 }, () =>
        stack.call('POST', '/v1/wallet/transfers', {
          as: sender.principal,
          idempotencyKey: key,
          body: { to: recipient.vpa, amount: 3_000 },
        }),
      ),
    );

    const created = expectOneAnswerPerKey(responses, 30);
    expect(await writesOf(`'${created[0]!.body.id}'`)).toEqual({
      transfers: 1,
      events: 1,
      postings: 1,
    });
    expect(await walletBalance(stack, sender)).toBe(7_000);
  });

  it('when keyed transfers race to empty one wallet, then it never goes negative, each refusal is stored and the books reconcile', async () => {
    const { sender, recipient } = await pair('Drain', 10_000);
    const keys = Array.from({ length: 12 }, () => uniqueKey());
    const send = (key: string) =>
      stack.call('POST', '/v1/wallet/transfers', {
        as: sender.principal,
        idempotencyKey: key,
        body: { to: recipient.vpa, amount: 1_000 },
      });

    const responses = await Promise.all(keys.map(send));
    const replays = await Promise.all(keys.map(send));

    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([...Array(10).fill(201), 402, 402]);
    replays.forEach((replay, i) => {
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.bytes.equals(responses[i]!.bytes)).toBe(true);
    });
    expect(await walletBalance(stack, sender)).toBe(0);
    expect(await walletBalance(stack, recipient)).toBe(10_000);
    const report = await reconciliation(stack);
    expect(report.ok).toBe(true);
  });

  it('when a transfer has no key, then it still moves the money once with its event', async () => {
    const { sender, recipient } = await pair('Keyless', 5_000);

    const response = await stack.call('POST', '/v1/wallet/transfers', {
      as: sender.principal,
      body: { to: recipient.vpa, amount: 5_000 },
    });
    const short = await stack.call('POST', '/v1/wallet/transfers', {
      as: sender.principal,
      body: { to: recipient.vpa, amount: 1 },
    });

    expect(response.status).toBe(201);
    expect(await writesOf(`'${response.body.id}'`)).toEqual({
      transfers: 1,
      events: 1,
      postings: 1,
    });
    expectError(short, 402, 'insufficient_funds');
    expect(await walletBalance(stack, sender)).toBe(0);
  });
});
