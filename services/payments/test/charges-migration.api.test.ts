import { describe, expect, it } from 'vitest';
import { previousVersionDatabases, queryRows } from '@expe/testing';
import { migrationsFolder } from '../src/index.js';

// Issue 20's data migration (0007_charges): every payment that made an attempt before charges
// existed gets one Charge for its last attempt, with the id the Stripe port showed for it
// (`ch_` + the payment id's suffix), and the payment, its refunds, disputes and `payment`
// balance transaction name it.
const databases = previousVersionDatabases({
  migrationsFolder,
  previousTag: '0006_project_scope',
  schema: 'payments',
});

const card = `'{"brand":"visa","last4":"4242","exp_month":12,"exp_year":2030,"token":"tok_visa"}'`;
const declined = `'{"type":"card_error","code":"card_declined","decline_code":"generic_decline","message":"Your card was declined."}'`;
const authFailed = `'{"type":"card_error","code":"authentication_failed","message":"The card holder did not pass 3-D Secure authentication."}'`;

describe('migration 0007_charges', () => {
  it('when payments were paid, held, released, declined, pending or never tried, then each attempted one has one charge for its last attempt, named by the payment, its refund and its balance transaction', async () => {
    const database = await databases.create('charges_migration');
    const row = (id: string, status: string, extra: string) =>
      `('pay_${id}0000000000', 'mer_1', 'prj_1', 'Shop', 'test', 10000, 'inr', '${status}', now() + interval '1 day', ${extra})`;
    await queryRows(
      database.url,
      `insert into payments.payments (id, merchant_id, project_id, merchant_name, mode, amount, currency, status, expires_at, method, card_details, amount_received, amount_refunded, last_payment_error)
         values ${row('paid', 'succeeded', `'card', ${card}, 10000, 4000, null`)},
                ${row('held', 'requires_capture', `'card', ${card}, 0, 0, null`)},
                ${row('released', 'canceled', `'card', ${card}, 0, 0, null`)},
                ${row('declined', 'requires_payment_method', `'card', ${card}, 0, 0, ${declined}`)},
                ${row('challenge', 'requires_payment_method', `'card', ${card}, 0, 0, ${authFailed}`)},
                ${row('pending', 'processing', `'upi', null, 0, 0, null`)},
                ${row('open', 'requires_payment_method', `null, null, 0, 0, null`)};
       update payments.payments set amount_capturable = 10000 where id = 'pay_held0000000000';
       insert into payments.ledger_transactions (id, kind, reference)
         values ('ltx_1', 'payment', 'pay_paid0000000000'),
                ('ltx_2', 'authorization', 'pay_released0000000000');
       insert into payments.accounts (id, type, owner_id, mode, currency, allows_negative)
         values ('acc_fund', 'system', 'sandbox_funding', null, 'inr', true),
                ('acc_merchant', 'merchant', 'prj_1', 'test', 'inr', false),
                ('acc_hold', 'hold', 'pay_released0000000000', null, 'inr', false);
       insert into payments.ledger_entries (id, transaction_id, account_id, amount, currency)
         values ('le_1', 'ltx_1', 'acc_fund', -10000, 'inr'), ('le_2', 'ltx_1', 'acc_merchant', 10000, 'inr'),
                ('le_3', 'ltx_2', 'acc_fund', -10000, 'inr'), ('le_4', 'ltx_2', 'acc_hold', 10000, 'inr');
       insert into payments.balance_transactions (id, merchant_id, project_id, mode, type, amount, fee, net, currency, source, payment_id, ledger_transaction_id, status, available_on)
         values ('bt_paid', 'mer_1', 'prj_1', 'test', 'payment', 10000, 0, 10000, 'inr', 'pay_paid0000000000', 'pay_paid0000000000', 'ltx_1', 'available', now());
       insert into payments.refunds (id, payment_id, merchant_id, project_id, mode, amount, currency, status)
         values ('re_1', 'pay_paid0000000000', 'mer_1', 'prj_1', 'test', 4000, 'inr', 'succeeded');`,
    );

    await databases.upgrade(database.url);

    const charges = await queryRows(
      database.url,
      `select id, payment_id, status, amount_captured::int, amount_refunded::int, captured, refunded,
              failure_code, outcome->>'reason' as reason, balance_transaction_id,
              payment_method_details->'card'->>'last4' as last4
         from payments.charges order by payment_id`,
    );
    expect(charges).toEqual([
      expect.objectContaining({
        id: 'ch_declined0000000000',
        status: 'failed',
        failure_code: 'card_declined',
        reason: 'generic_decline',
        captured: false,
      }),
      expect.objectContaining({
        id: 'ch_held0000000000',
        status: 'succeeded',
        captured: false,
        amount_captured: 0,
        refunded: false,
      }),
      expect.objectContaining({
        id: 'ch_paid0000000000',
        status: 'succeeded',
        captured: true,
        amount_captured: 10000,
        amount_refunded: 4000,
        refunded: false,
        balance_transaction_id: 'bt_paid',
        last4: '4242',
      }),
      expect.objectContaining({ id: 'ch_pending0000000000', status: 'pending', last4: null }),
      expect.objectContaining({
        id: 'ch_released0000000000',
        status: 'succeeded',
        captured: false,
        amount_refunded: 10000,
        refunded: true,
      }),
    ]);
    const named = await queryRows(
      database.url,
      `select (select latest_charge_id from payments.payments where id = 'pay_paid0000000000') as payment,
              (select latest_charge_id from payments.payments where id = 'pay_open0000000000') as open,
              (select latest_charge_id from payments.payments where id = 'pay_challenge0000000000') as challenge,
              (select charge_id from payments.refunds where id = 're_1') as refund,
              (select charge_id from payments.balance_transactions where id = 'bt_paid') as bt`,
    );
    expect(named).toEqual([
      {
        payment: 'ch_paid0000000000',
        open: null,
        challenge: null,
        refund: 'ch_paid0000000000',
        bt: 'ch_paid0000000000',
      },
    ]);
  });
});
