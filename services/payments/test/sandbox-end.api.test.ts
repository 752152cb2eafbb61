import { describe, expect, it } from 'vitest';
import { queryRows } from '@expe/testing';
import { createPaidPayment, reconciliation, stackPerFile, waitFor } from './support.js';

// A sandbox's end is decided in merchants (its keys stop answering there); its test data is
// archived here by the scheduler, as a reset archives it. The end is made to have come by moving
// the project's expires_at into the past (a time to live is at least a minute).
const stack = stackPerFile('sandbox_end', {
  SCHEDULER_INTERVAL_MS: '100',
  SANDBOX_SWEEP_INTERVAL_MS: '100',
});

const sql = (text: string, values: unknown[] = []) => queryRows(stack.database!.url, text, values);

describe('the end of a sandbox project', () => {
  it('when a sandbox ends, then its test payments are archived as a reset archives them, the project is deleted, and live data and other projects stay', async () => {
    const shop = await stack.registerMerchant('Sandbox Shop');
    const other = await stack.addProject(shop, 'Lasting project');
    const paid = await createPaidPayment(stack, shop.testKey, { amount: 7_000 });
    const live = await createPaidPayment(stack, shop.liveKey, { amount: 3_000 });
    const kept = await createPaidPayment(stack, other.testKey, { amount: 2_000 });
    await sql(
      `update merchants.projects set expires_at = now() - interval '1 second' where id = $1`,
      [shop.projectId],
    );

    const archived = await waitFor(
      () =>
        sql(`select archived_at, deleted_at from merchants.projects where id = $1`, [
          shop.projectId,
        ]),
      ([project]) => project?.archived_at != null,
      20_000,
    );

    expect(archived[0]).toMatchObject({
      archived_at: expect.any(Date),
      deleted_at: expect.any(Date),
    });
    const [payment] = await sql(`select project_id, mode from payments.payments where id = $1`, [
      paid.id,
    ]);
    expect(payment!.project_id).toMatch(new RegExp(`^${shop.projectId}~reset~`));
    expect(
      await stack.count('payments', `project_id = '${shop.projectId}' and mode = 'test'`),
    ).toBe(0);
    const [livePayment] = await sql(`select project_id from payments.payments where id = $1`, [
      live.id,
    ]);
    expect(livePayment!.project_id).toBe(shop.projectId);
    const [otherPayment] = await sql(`select project_id from payments.payments where id = $1`, [
      kept.id,
    ]);
    expect(otherPayment!.project_id).toBe(other.projectId);
    const report = await reconciliation(stack);
    expect(report.ok, JSON.stringify(report.checks)).toBe(true);
  });
});
