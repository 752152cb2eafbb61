import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackPerFile, topUp, walletBalance } from './support.js';

// The ledger's deferred checks (migration 0001, restored by 0019): a ledger transaction must have
// two entries, sum to zero per currency and keep each entry in its account's currency, whoever
// writes it and whenever its entries are written. They run at COMMIT.
const stack = stackPerFile('ledger_checks');
let client: pg.Client;

beforeAll(async () => {
  const url = stack.database?.url;
  if (!url) throw new Error('the ledger checks need the PostgreSQL test database');
  client = new pg.Client({ connectionString: url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
});

let sequence = 0;
const nextId = (prefix: string) => `${prefix}_checks_${Date.now()}_${++sequence}`;

/** A system account (never locked, no cached balance) in `currency`. */
async function systemAccount(currency: string): Promise<string> {
  const id = nextId('acct');
  await client.query(
    `insert into payments.accounts (id, type, owner_id, currency, allows_negative)
     values ($1, 'system', $1, $2, true)`,
    [id, currency],
  );
  return id;
}

/** Writes a ledger transaction with `entries` in one database transaction; rejects at COMMIT. */
async function writeTransaction(
  entries: { account: string; amount: number; currency: string }[],
): Promise<string> {
  const id = nextId('ltx');
  await client.query('begin');
  try {
    await client.query(
      `insert into payments.ledger_transactions (id, kind, reference, created_at)
       values ($1, 'topup', $1, now())`,
      [id],
    );
    for (const entry of entries) await appendEntry(id, entry);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
  return id;
}

async function appendEntry(
  transactionId: string,
  entry: { account: string; amount: number; currency: string },
) {
  await client.query(
    `insert into payments.ledger_entries (id, transaction_id, account_id, amount, currency)
     values ($1, $2, $3, $4, $5)`,
    [nextId('le'), transactionId, entry.account, entry.amount, entry.currency],
  );
}

describe('the ledger checks at COMMIT', () => {
  it("when a ledger transaction sums to zero in its accounts' currency, then it is written", async () => {
    const [a, b] = [await systemAccount('inr'), await systemAccount('inr')];

    const id = await writeTransaction([
      { account: a, amount: -500, currency: 'inr' },
      { account: b, amount: 500, currency: 'inr' },
    ]);

    const { rows } = await client.query(
      'select count(*)::int as n from payments.ledger_entries where transaction_id = $1',
      [id],
    );
    expect(rows[0].n).toBe(2);
  });

  it('when a ledger transaction does not sum to zero, then the whole transaction is refused', async () => {
    const [a, b] = [await systemAccount('inr'), await systemAccount('inr')];

    await expect(
      writeTransaction([
        { account: a, amount: -500, currency: 'inr' },
        { account: b, amount: 400, currency: 'inr' },
      ]),
    ).rejects.toThrow(/is unbalanced: inr entries sum to -100/);
  });

  it('when a ledger transaction has one entry or none, then it is refused', async () => {
    const a = await systemAccount('inr');

    await expect(writeTransaction([{ account: a, amount: 500, currency: 'inr' }])).rejects.toThrow(
      /needs at least two entries/,
    );
    await expect(writeTransaction([])).rejects.toThrow(/needs at least two entries/);
  });

  it('when an entry is in another currency than its account, then the transaction is refused', async () => {
    const [a, b] = [await systemAccount('inr'), await systemAccount('usd')];

    await expect(
      writeTransaction([
        { account: a, amount: -500, currency: 'inr' },
        { account: b, amount: 500, currency: 'inr' },
      ]),
    ).rejects.toThrow(/has an entry in another currency than its account/);
  });

  it('when an entry is appended later to a committed ledger transaction, then it is refused', async () => {
    const [a, b] = [await systemAccount('inr'), await systemAccount('inr')];
    const id = await writeTransaction([
      { account: a, amount: -500, currency: 'inr' },
      { account: b, amount: 500, currency: 'inr' },
    ]);

    await expect(appendEntry(id, { account: a, amount: 100, currency: 'inr' })).rejects.toThrow(
      /is unbalanced: inr entries sum to 100/,
    );
  });

  it('when wallet transfers run, then each posting passes the checks and the books balance', async () => {
    const sender = await stack.registerUser('Checks Sender');
    const recipient = await stack.registerUser('Checks Recipient');
    await topUp(stack, sender, 10_000);

    const transfers = await Promise.all(
      [1_000, 2_000, 3_000].map((amount) =>
        stack.call('POST', '/v1/wallet/transfers', {
          as: sender.principal,
          body: { to: recipient.vpa, amount },
        }),
      ),
    );

    expect(transfers.map((response) => response.status)).toEqual([201, 201, 201]);
    expect(await walletBalance(stack, sender)).toBe(4_000);
    expect(await walletBalance(stack, recipient)).toBe(6_000);
    const { rows } = await client.query(
      'select currency, sum(amount)::bigint as total from payments.ledger_entries group by currency',
    );
    for (const row of rows) expect(Number(row.total)).toBe(0);
  });
});
