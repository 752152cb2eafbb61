import { beforeAll, describe, expect, it } from 'vitest';
import {
  anonymous,
  createPayment,
  expectError,
  invalidAmounts,
  reconciliation,
  stackPerFile,
  topUp,
  walletBalance,
  type TestMerchant,
  type TestUser,
} from './support.js';

const stack = stackPerFile('wallet', { WALLET_TOPUP_DAILY_LIMIT: '10000000' });
let merchant: TestMerchant;

beforeAll(async () => {
  merchant = await stack.registerMerchant('Wallet Merchant');
});

describe('GET /v1/wallet', () => {
  it('when a new user looks, then an empty INR wallet with their VPA exists', async () => {
    const user = await stack.registerUser('Kavya Iyer');

    const response = await stack.call('GET', '/v1/wallet', { as: user.principal });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      object: 'wallet',
      balance: 0,
      held: 0,
      currency: 'inr',
      vpa: user.vpa,
    });
  });

  it('when an API key or nobody asks, then 401', async () => {
    expectError(
      await stack.call('GET', '/v1/wallet', { as: anonymous }),
      401,
      'authentication_required',
    );
    expectError(
      await stack.call('GET', '/v1/wallet', { as: merchant.testKey }),
      401,
      'authentication_required',
    );
  });
});

describe('POST /v1/wallet/topup', () => {
  it('when a user tops up, then the wallet grows and a topup.succeeded event is written', async () => {
    const user = await stack.registerUser('Topup User');

    const first = await stack.call('POST', '/v1/wallet/topup', {
      as: user.principal,
      body: { amount: 25_000 },
    });
    const second = await stack.call('POST', '/v1/wallet/topup', {
      as: user.principal,
      body: { amount: 5_000 },
    });

    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      id: expect.stringMatching(/^top_[0-9a-z]{26}$/),
      object: 'topup',
      amount: 25_000,
      currency: 'inr',
      balance: 25_000,
      created: expect.any(Number),
    });
    expect(second.body.balance).toBe(30_000);
    expect(await walletBalance(stack, user)).toBe(30_000);
    expect(
      await stack.count('events', `type = 'topup.succeeded' and '${user.id}' = any(user_ids)`),
    ).toBe(2);
  });

  it('when a top-up would pass the daily limit, then 400 topup_limit_exceeded on amount and nothing is written', async () => {
    const user = await stack.registerUser('Limit User');
    await topUp(stack, user, 9_000_000);
    const topups = await stack.count('topups', `user_id = '${user.id}'`);

    const response = await stack.call('POST', '/v1/wallet/topup', {
      as: user.principal,
      body: { amount: 1_000_001 },
    });

    expectError(response, 400, 'topup_limit_exceeded', 'amount');
    expect(await stack.count('topups', `user_id = '${user.id}'`)).toBe(topups);
    expect(await walletBalance(stack, user)).toBe(9_000_000);
  });

  it('when top-ups race past the daily limit, then together they never exceed it', async () => {
    const user = await stack.registerUser('Racing Topups');

    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        stack.call('POST', '/v1/wallet/topup', { as: user.principal, body: { amount: 3_000_000 } }),
      ),
    );

    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, 201, 201, 400, 400, 400, 400, 400]);
    expect(await walletBalance(stack, user)).toBe(9_000_000);
  });

  it.each(invalidAmounts)(
    'when the amount is %s, then 400 on amount and nothing is written',
    async (_name, amount) => {
      const user = await stack.registerUser();
      const topups = await stack.count('topups');

      const response = await stack.call('POST', '/v1/wallet/topup', {
        as: user.principal,
        body: { amount },
      });

      expectError(response, 400, 'parameter_invalid', 'amount');
      expect(await stack.count('topups')).toBe(topups);
    },
  );
});

describe('POST /v1/wallet/transfers', () => {
  it('when a user sends money to a VPA, then both wallets change and the transfer is returned', async () => {
    const sender = await stack.registerUser('Arjun Rao');
    const recipient = await stack.registerUser('Neha Singh');
    await topUp(stack, sender, 50_000);

    const response = await stack.call('POST', '/v1/wallet/transfers', {
      as: sender.principal,
      body: { to: recipient.vpa.toUpperCase(), amount: 12_000, note: 'Dinner' },
    });

    expect(response.status, response.text).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^txn_[0-9a-z]{26}$/),
      object: 'transfer',
      amount: 12_000,
      currency: 'inr',
      from: { user_id: sender.id, vpa: sender.vpa },
      to: { user_id: recipient.id, vpa: recipient.vpa },
      note: 'Dinner',
      status: 'completed',
      created: expect.any(Number),
    });
    expect(await walletBalance(stack, sender)).toBe(38_000);
    expect(await walletBalance(stack, recipient)).toBe(12_000);
    expect(
      await stack.count(
        'events',
        `type = 'transfer.completed' and user_ids @> array['${sender.id}', '${recipient.id}']`,
      ),
    ).toBe(1);
  });

  it('when the recipient is given by email, then it reaches them', async () => {
    const sender = await stack.registerUser('Email Sender');
    const recipient = await stack.registerUser('Email Recipient');
    await topUp(stack, sender, 1_000);

    const response = await stack.call('POST', '/v1/wallet/transfers', {
      as: sender.principal,
      body: { to: recipient.email, amount: 1_000 },
    });

    expect(response.status).toBe(201);
    expect(response.body.to.user_id).toBe(recipient.id);
    expect(await walletBalance(stack, recipient)).toBe(1_000);
  });

  it('when the wallet is short, then 402 insufficient_funds and nothing moves', async () => {
    const sender = await stack.registerUser('Short Sender');
    const recipient = await stack.registerUser('Hopeful Recipient');
    await topUp(stack, sender, 999);
    const transfers = await stack.count('transfers');

    const response = await stack.call('POST', '/v1/wallet/transfers', {
      as: sender.principal,
      body: { to: recipient.vpa, amount: 1_000 },
    });

    expectError(response, 402, 'insufficient_funds');
    expect(await stack.count('transfers')).toBe(transfers);
    expect(await walletBalance(stack, sender)).toBe(999);
    expect(await walletBalance(stack, recipient)).toBe(0);
  });

  const badTransfers: [string, (me: TestUser, other: TestUser) => object, string, string][] = [
    ['to oneself by VPA', (me) => ({ to: me.vpa, amount: 100 }), 'to', 'parameter_invalid'],
    ['to oneself by email', (me) => ({ to: me.email, amount: 100 }), 'to', 'parameter_invalid'],
    [
      'to an unknown VPA',
      () => ({ to: 'nobody.here@expe', amount: 100 }),
      'to',
      'recipient_not_found',
    ],
    [
      'to something that is no VPA or email',
      () => ({ to: 'not a handle', amount: 100 }),
      'to',
      'parameter_invalid',
    ],
    ['amount 0', (_me, other) => ({ to: other.vpa, amount: 0 }), 'amount', 'parameter_invalid'],
    ['amount -1', (_me, other) => ({ to: other.vpa, amount: -1 }), 'amount', 'parameter_invalid'],
    ['amount 1.5', (_me, other) => ({ to: other.vpa, amount: 1.5 }), 'amount', 'parameter_invalid'],
    [
      'amount "100"',
      (_me, other) => ({ to: other.vpa, amount: '100' }),
      'amount',
      'parameter_invalid',
    ],
    [
      'amount 1e20',
      (_me, other) => ({ to: other.vpa, amount: 1e20 }),
      'amount',
      'parameter_invalid',
    ],
  ];

  it.each(badTransfers)(
    'when sending %s, then 400 names the field and nothing is written',
    async (_name, body, param, code) => {
      const me = await stack.registerUser('Bad Sender');
      const other = await stack.registerUser('Bad Recipient');
      await topUp(stack, me, 10_000);
      const before = {
        transfers: await stack.count('transfers'),
        entries: await stack.count('ledger_entries'),
      };

      const response = await stack.call('POST', '/v1/wallet/transfers', {
        as: me.principal,
        body: body(me, other),
      });

      expectError(response, 400, code, param);
      expect(await stack.count('transfers')).toBe(before.transfers);
      expect(await stack.count('ledger_entries')).toBe(before.entries);
      expect(await walletBalance(stack, me)).toBe(10_000);
    },
  );

  it('when the recipient is missing, then 400 names to', async () => {
    const me = await stack.registerUser('No Recipient');

    const response = await stack.call('POST', '/v1/wallet/transfers', {
      as: me.principal,
      body: { amount: 100 },
    });

    expect(response.status).toBe(400);
    expect(response.body.error.param).toBe('to');
  });

  it('when 200 transfers among 5 wallets run at once in random directions, then all are answered, none goes negative and no money appears or vanishes', async () => {
    const users = await Promise.all(
      ['Ira', 'Kabir', 'Lila', 'Manav', 'Nila'].map((name) =>
        stack.registerUser(`${name} Concurrent`),
      ),
    );
    for (const user of users) await topUp(stack, user, 100_000);
    const pairs: [number, number][] = [
      [0, 1],
      [1, 0],
      [2, 3],
      [3, 2],
    ];
    while (pairs.length < 200) {
      const from = Math.floor(Math.random() * 5);
      const to = (from + 1 + Math.floor(Math.random() * 4)) % 5;
      pairs.push([from, to]);
    }

    const responses = await Promise.all(
      pairs.map(([from, to]) =>
        stack.call('POST', '/v1/wallet/transfers', {
          as: users[from]!.principal,
          body: { to: users[to]!.vpa, amount: 1 + Math.floor(Math.random() * 40_000) },
        }),
      ),
    );

    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status !== 201 && status !== 402)).toEqual([]);
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThan(0);
    const balances = await Promise.all(users.map((user) => walletBalance(stack, user)));
    expect(balances.every((balance) => balance >= 0)).toBe(true);
    expect(balances.reduce((sum, balance) => sum + balance, 0)).toBe(500_000);
    const report = await reconciliation(stack);
    expect(report.checks.filter((check: any) => !check.ok)).toEqual([]);
    expect(report.ok).toBe(true);
  });
});

describe('GET /v1/wallet/transactions', () => {
  it('when money came and went, then the statement lists each with its counterparty, newest first, page by page', async () => {
    const me = await stack.registerUser('Statement Owner');
    const friend = await stack.registerUser('Statement Friend');
    await topUp(stack, me, 60_000);
    await topUp(stack, friend, 20_000);
    await stack.call('POST', '/v1/wallet/transfers', {
      as: me.principal,
      body: { to: friend.vpa, amount: 10_000, note: 'Rent share' },
    });
    await stack.call('POST', '/v1/wallet/transfers', {
      as: friend.principal,
      body: { to: me.vpa, amount: 2_000 },
    });
    const payment = await createPayment(stack, merchant.testKey, {
      amount: 15_000,
      description: 'Groceries',
    });
    await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      as: me.principal,
      body: { client_secret: payment.client_secret, method: 'wallet' },
    });
    await stack.call('POST', '/v1/refunds', {
      as: merchant.testKey,
      body: { payment: payment.id, amount: 5_000 },
    });

    const first = await stack.call('GET', '/v1/wallet/transactions?limit=3', { as: me.principal });
    const second = await stack.call(
      'GET',
      `/v1/wallet/transactions?limit=3&starting_after=${first.body.data[2].id}`,
      { as: me.principal },
    );
    const transfersIn = await stack.call('GET', '/v1/wallet/transactions?type=transfer_in', {
      as: me.principal,
    });

    expect(first.status).toBe(200);
    expect(first.body.has_more).toBe(true);
    expect(second.body.has_more).toBe(false);
    const statement = [...first.body.data, ...second.body.data];
    expect(statement.map((item: any) => [item.type, item.amount])).toEqual([
      ['refund', 5_000],
      ['payment', -15_000],
      ['transfer_in', 2_000],
      ['transfer_out', -10_000],
      ['topup', 60_000],
    ]);
    expect(statement[0]).toMatchObject({
      object: 'wallet_transaction',
      currency: 'inr',
      counterparty: {
        kind: 'merchant',
        id: merchant.id,
        name: 'Wallet Merchant',
        vpa: `${merchant.id}@expe`,
      },
      reference: expect.stringMatching(/^re_/),
    });
    expect(statement[1]).toMatchObject({ reference: payment.id, note: 'Groceries' });
    expect(statement[3]).toMatchObject({
      counterparty: { kind: 'user', id: friend.id, name: 'Statement Friend', vpa: friend.vpa },
      note: 'Rent share',
    });
    expect(statement[4].counterparty).toMatchObject({ kind: 'sandbox' });
    expect(transfersIn.body.data).toHaveLength(1);
    expect(transfersIn.body.data[0].counterparty.id).toBe(friend.id);
  });

  it("when another user lists, then they see only their own wallet's entries", async () => {
    const me = await stack.registerUser('Private Owner');
    const stranger = await stack.registerUser('Stranger');
    await topUp(stack, me, 1_000);

    const response = await stack.call('GET', '/v1/wallet/transactions', { as: stranger.principal });

    expect(response.status).toBe(200);
    expect(response.body.data).toEqual([]);
  });
});
