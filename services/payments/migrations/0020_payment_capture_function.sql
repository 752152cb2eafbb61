-- Custom SQL migration (issue 23): a card (or UPI) payment's successful attempt in one statement.
-- The confirm of an automatic-capture payment wrote its effects in seven round trips after the
-- payment's lock: the payment's update, `payment.succeeded`, the look-up of a Checkout Session
-- to complete, the Charge, `charge.succeeded`, the project's fee setting, and the ledger posting
-- with its balance transaction (postPaymentCredit). `capture_payment_attempt` does the same
-- writes, in the same order and with the same rules, in one call inside the caller's transaction
-- (the payment's row lock, the Idempotency-Key and COMMIT stay the route's):
--
-- 1. A payment with a Checkout Session still to complete is left to the service's own path
--    ('checkout_session', nothing written): completing a session is the checkout's use case.
-- 2. The fee: the service sends the posting with the sandbox fee and the posting without it
--    (`balance_settings.fees_enabled` false); the project's setting, read here, picks one.
-- 3. The payment's columns that a capture changes, from the row the service built (status,
--    latest Charge, method, payer, error, due time, amounts, succeeded_at, updated_at); then its
--    event, the Charge and its event, all built by the service (jsonb_populate_record, so they
--    follow the tables' columns).
-- 4. Last, `post_ledger_transaction`, unchanged: the merchant's pending balance is locked until
--    COMMIT; its refusals (EX402, EX400) roll back the caller's transaction as before, and the
--    deferred ledger checks (migrations 0001, 0019) run at COMMIT as before. The `payment`
--    balance transaction follows it (its foreign key needs the ledger transaction).
CREATE FUNCTION "payments"."capture_payment_attempt"(
  p_payment jsonb,
  p_payment_event jsonb,
  p_charge jsonb,
  p_charge_event jsonb,
  p_fee bigint,
  p_ledger_transaction_id text,
  p_entries jsonb,
  p_free_ledger_transaction_id text,
  p_free_entries jsonb,
  p_balance_transaction jsonb
) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_payment "payments"."payments";
  v_fees_enabled boolean;
  v_fee bigint;
  v_ledger_transaction_id text;
BEGIN
  v_payment := jsonb_populate_record(NULL::"payments"."payments", p_payment);
  IF EXISTS (
    SELECT 1 FROM "payments"."checkout_sessions" s
     WHERE s.payment_id = v_payment.id AND s.status <> 'complete'
  ) THEN
    RETURN 'checkout_session';
  END IF;
  SELECT s.fees_enabled INTO v_fees_enabled
    FROM "payments"."balance_settings" s WHERE s.project_id = v_payment.project_id;
  IF coalesce(v_fees_enabled, true) THEN
    v_fee := p_fee;
    v_ledger_transaction_id := p_ledger_transaction_id;
  ELSE
    v_fee := 0;
    v_ledger_transaction_id := p_free_ledger_transaction_id;
  END IF;

  UPDATE "payments"."payments" p SET
    status = v_payment.status,
    latest_charge_id = v_payment.latest_charge_id,
    method = v_payment.method,
    payer_user_id = v_payment.payer_user_id,
    last_payment_error = v_payment.last_payment_error,
    processing_due_at = v_payment.processing_due_at,
    amount_capturable = v_payment.amount_capturable,
    amount_received = v_payment.amount_received,
    succeeded_at = v_payment.succeeded_at,
    updated_at = v_payment.updated_at
  WHERE p.id = v_payment.id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'payment % vanished while locked', v_payment.id;
  END IF;
  INSERT INTO "payments"."events"
  SELECT * FROM jsonb_populate_record(NULL::"payments"."events", p_payment_event);
  INSERT INTO "payments"."charges"
  SELECT * FROM jsonb_populate_record(NULL::"payments"."charges", p_charge);
  INSERT INTO "payments"."events"
  SELECT * FROM jsonb_populate_record(NULL::"payments"."events", p_charge_event);

  -- Last: the merchant's balance lock is held until COMMIT.
  PERFORM "payments"."post_ledger_transaction"(
    v_ledger_transaction_id, 'payment', v_payment.id, v_payment.succeeded_at,
    CASE WHEN coalesce(v_fees_enabled, true) THEN p_entries ELSE p_free_entries END);
  INSERT INTO "payments"."balance_transactions" (id, merchant_id, project_id, mode, type, amount,
    fee, net, currency, source, payment_id, charge_id, ledger_transaction_id, status,
    available_on, created_at)
  SELECT b.id, b.merchant_id, b.project_id, b.mode, 'payment', b.amount, v_fee, b.amount - v_fee,
    b.currency, b.payment_id, b.payment_id, b.charge_id, v_ledger_transaction_id, 'pending',
    b.available_on, b.created_at
  FROM jsonb_populate_record(NULL::"payments"."balance_transactions", p_balance_transaction) b;
  RETURN 'captured';
END
$$;
