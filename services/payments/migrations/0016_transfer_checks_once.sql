-- Custom SQL migration (issue 23): less work in PostgreSQL per wallet transfer, the same rules.
--
-- 1. The ledger's deferred checks run once per ledger transaction instead of once per entry.
--    Migration 0001 checked at COMMIT, for every entry, that its transaction sums to zero per
--    currency and that no entry is in another currency than its account (two queries per entry),
--    and for every transaction that it has two entries (a third query): five queries for a
--    two-entry transfer. Now the transaction's own deferred trigger runs the three checks in one
--    query over its entries, and an entry's trigger runs them only when its transaction was not
--    written by the same database transaction (an entry appended later to an existing ledger
--    transaction, which no code path does): then nothing else would check it. "Written by this
--    transaction" is the row's xmin being the current transaction id, as PostgreSQL itself
--    decides it for the row's visibility; a row written in a subtransaction has the
--    subtransaction's id and is checked by its entries as before (more work, never less).
-- 2. The wallet transfer wakes its relay itself. Migration 0015's trigger NOTIFYs the relay for
--    every transaction that writes an event. A NOTIFY serializes the commits of all notifying
--    transactions (PostgreSQL holds a cluster-wide lock from the notification's queueing until
--    the commit is flushed, to keep the queue in commit order) and wakes the listening backend
--    and the relay once per transfer. `create_wallet_transfer` now says, for its own transaction
--    only (set_config's is_local), that its caller wakes the relay (expe.outbox_wake = 'caller');
--    payments wakes its relay in the process once the statement returns. Every other writer
--    still wakes it with the NOTIFY, and the relay's safety poll catches the rest.
CREATE OR REPLACE FUNCTION "payments"."assert_ledger_transaction_valid"(p_transaction_id text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  per_currency record;
  v_entries bigint := 0;
  v_unbalanced_currency text;
  v_unbalanced_total numeric;
  v_is_mismatched boolean := false;
BEGIN
  FOR per_currency IN
    SELECT e.currency, sum(e.amount) AS total, count(*) AS entries,
           bool_or(a.currency <> e.currency) AS is_mismatched
      FROM "payments"."ledger_entries" e
      JOIN "payments"."accounts" a ON a.id = e.account_id
     WHERE e.transaction_id = p_transaction_id
     GROUP BY e.currency
  LOOP
    v_entries := v_entries + per_currency.entries;
    IF per_currency.total <> 0 AND v_unbalanced_currency IS NULL THEN
      v_unbalanced_currency := per_currency.currency;
      v_unbalanced_total := per_currency.total;
    END IF;
    v_is_mismatched := v_is_mismatched OR per_currency.is_mismatched;
  END LOOP;
  -- In 0001's order: the count, then the sum, then the currencies.
  IF v_entries < 2 THEN
    RAISE EXCEPTION 'ledger transaction % needs at least two entries', p_transaction_id
      USING ERRCODE = 'check_violation';
  END IF;
  IF v_unbalanced_currency IS NOT NULL THEN
    RAISE EXCEPTION 'ledger transaction % is unbalanced: % entries sum to %',
      p_transaction_id, v_unbalanced_currency, v_unbalanced_total
      USING ERRCODE = 'check_violation';
  END IF;
  IF v_is_mismatched THEN
    RAISE EXCEPTION 'ledger transaction % has an entry in another currency than its account',
      p_transaction_id
      USING ERRCODE = 'check_violation';
  END IF;
END
$$;
--> statement-breakpoint
-- The deferred trigger of each ledger transaction (ledger_transactions_have_entries, 0001).
CREATE OR REPLACE FUNCTION "payments"."assert_ledger_transaction_has_entries"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "payments"."assert_ledger_transaction_valid"(NEW.id);
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- The deferred trigger of each entry (ledger_entries_balanced, 0001): only for an entry whose
-- transaction another database transaction wrote; the transaction's own trigger checks the rest.
CREATE OR REPLACE FUNCTION "payments"."assert_ledger_transaction_balanced"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM "payments"."ledger_transactions" t
     WHERE t.id = NEW.transaction_id AND t.xmin = pg_current_xact_id()::xid
  ) THEN
    PERFORM "payments"."assert_ledger_transaction_valid"(NEW.transaction_id);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "payments"."notify_events_relay"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('expe.outbox_wake', true) IS DISTINCT FROM 'caller'
     AND EXISTS (SELECT 1 FROM inserted WHERE relayed_at IS NULL) THEN
    PERFORM pg_notify('expe_outbox_payments_events', '');
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Migration 0014's function, unchanged but for the set_config before the event's insert.
CREATE OR REPLACE FUNCTION "payments"."create_wallet_transfer"(
  p_scope text,
  p_key text,
  p_request_hash text,
  p_now timestamptz,
  p_expires_at timestamptz,
  p_transfer jsonb,
  p_event jsonb,
  p_ledger_transaction_id text,
  p_entries jsonb,
  p_response_body text
) RETURNS TABLE (outcome text, response_status int, response_body text, request_hash text)
LANGUAGE plpgsql AS $$
DECLARE
  stored record;
BEGIN
  IF p_key IS NOT NULL THEN
    IF NOT pg_try_advisory_xact_lock(hashtext(p_scope || p_key)) THEN
      RETURN QUERY SELECT 'in_use'::text, NULL::int, NULL::text, NULL::text;
      RETURN;
    END IF;
    SELECT k.response_status, k.response_body, k.request_hash INTO stored
      FROM "payments"."idempotency_keys" k
     WHERE k.scope = p_scope AND k.key = p_key AND k.expires_at > p_now;
    IF FOUND THEN
      RETURN QUERY SELECT 'stored'::text, stored.response_status, stored.response_body,
        stored.request_hash;
      RETURN;
    END IF;
  END IF;

  INSERT INTO "payments"."transfers"
  SELECT * FROM jsonb_populate_record(NULL::"payments"."transfers", p_transfer);
  -- The service wakes its relay when this returns (no NOTIFY, see above).
  PERFORM set_config('expe.outbox_wake', 'caller', true);
  INSERT INTO "payments"."events"
  SELECT * FROM jsonb_populate_record(NULL::"payments"."events", p_event);
  -- Last: its row locks on both wallets are held until COMMIT.
  PERFORM "payments"."post_ledger_transaction"(
    p_ledger_transaction_id, 'transfer', p_transfer ->> 'id', p_now, p_entries);

  IF p_key IS NOT NULL THEN
    INSERT INTO "payments"."idempotency_keys" AS t
      (scope, key, request_hash, response_status, response_body, created_at, expires_at)
    VALUES (p_scope, p_key, p_request_hash, 201, p_response_body, p_now, p_expires_at)
    ON CONFLICT (scope, key) DO UPDATE SET
      request_hash = excluded.request_hash, response_status = excluded.response_status,
      response_body = excluded.response_body, created_at = excluded.created_at,
      expires_at = excluded.expires_at
    WHERE t.expires_at <= p_now;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'Idempotency-Key % was answered meanwhile', p_key USING ERRCODE = 'EX409';
    END IF;
  END IF;
  RETURN QUERY SELECT 'created'::text, 201, p_response_body, p_request_hash;
END
$$;
