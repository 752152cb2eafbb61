-- Custom SQL migration (issue 23, ADR 0017): a wallet transfer in one statement. The kit's
-- idempotent run of a transfer took eight round trips (BEGIN, the key's advisory lock, the look-up
-- of a stored answer, the transfer row, its event, the ledger posting, the stored answer, COMMIT),
-- and most of the CPU a transfer cost PostgreSQL and payments was spent on the trips, not on the
-- work. `create_wallet_transfer` does the same steps, in the same order and with the same rules,
-- inside one function called in its own (implicit) transaction:
--
-- 1. With an Idempotency-Key: its transaction-scoped advisory lock without waiting ('in_use' when
--    another request holds it), then the stored answer ('stored'). The look-up is a statement of
--    its own after the lock: in a VOLATILE function under READ COMMITTED every statement takes a
--    new snapshot, so an answer committed while the lock was awaited is seen (ADR 0005).
-- 2. The transfer row and its outbox event, built by the service (jsonb_populate_record, so the
--    event follows the outbox table's columns), then the ledger posting, last:
--    `post_ledger_transaction` locks both wallets in id order and refuses to go below zero
--    (SQLSTATE EX402): the whole statement, and with it everything above, is rolled back.
-- 3. The answer stored under the key; if one was stored meanwhile (a refusal stored without the
--    lock), SQLSTATE EX409 rolls the transfer back and the service replays the stored answer.
CREATE FUNCTION "payments"."create_wallet_transfer"(
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
--> statement-breakpoint
-- A refusal (4xx) of an idempotent request, stored on its own after the effect was rolled back,
-- unless an answer was stored meanwhile: then that answer is returned ('stored'), as the kit's
-- runIdempotent does in its second transaction. No row: nothing is stored (an expired answer
-- that nobody replaced), and the refusal is sent as it is.
CREATE FUNCTION "payments"."store_idempotency_refusal"(
  p_scope text,
  p_key text,
  p_request_hash text,
  p_now timestamptz,
  p_expires_at timestamptz,
  p_status int,
  p_response_body text
) RETURNS TABLE (outcome text, response_status int, response_body text, request_hash text)
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "payments"."idempotency_keys" AS t
    (scope, key, request_hash, response_status, response_body, created_at, expires_at)
  VALUES (p_scope, p_key, p_request_hash, p_status, p_response_body, p_now, p_expires_at)
  ON CONFLICT (scope, key) DO UPDATE SET
    request_hash = excluded.request_hash, response_status = excluded.response_status,
    response_body = excluded.response_body, created_at = excluded.created_at,
    expires_at = excluded.expires_at
  WHERE t.expires_at <= p_now;
  IF FOUND THEN
    RETURN QUERY SELECT 'created'::text, p_status, p_response_body, p_request_hash;
    RETURN;
  END IF;
  RETURN QUERY SELECT 'stored'::text, k.response_status, k.response_body, k.request_hash
    FROM "payments"."idempotency_keys" k
   WHERE k.scope = p_scope AND k.key = p_key AND k.expires_at > p_now;
END
$$;
