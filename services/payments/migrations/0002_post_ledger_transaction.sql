-- Custom SQL migration (issue 9, ADR 0005): one ledger movement in one round trip. The function
-- creates missing accounts, locks the movement's wallet and merchant accounts in id order (so two
-- movements over the same accounts queue instead of deadlocking), refuses to take one below zero
-- (SQLSTATE EX402, DETAIL = the account's key), adds each net delta to its cached balance and
-- writes the transaction with its entries. The row locks are taken by the last statement the
-- movement needs, and held only until COMMIT.
--
-- System accounts (the sandbox's outside world: card networks, UPI banks) are never locked and
-- keep no cached balance: every card payment, top-up and refund touches one, and a lock on it
-- would serialize them all. Their balance is the sum of their entries; reconciliation proves the
-- books through the per-currency sum of all entries, which must be zero.
CREATE FUNCTION "payments"."post_ledger_transaction"(
  p_transaction_id text,
  p_kind text,
  p_reference text,
  p_created_at timestamptz,
  p_entries jsonb
) RETURNS TABLE (account_key text, balance bigint)
LANGUAGE plpgsql AS $$
DECLARE
  entry record;
  account record;
  v_account_id text;
  v_key text;
  v_ids text[] := '{}';
  v_keys text[] := '{}';
  v_deltas bigint[] := '{}';
  v_system boolean[] := '{}';
  v_position int;
BEGIN
  INSERT INTO "payments"."ledger_transactions" (id, kind, reference, created_at)
  VALUES (p_transaction_id, p_kind, p_reference, p_created_at);

  -- Resolve (or create) each entry's account; fold the entries into one delta per account.
  FOR entry IN
    SELECT * FROM jsonb_to_recordset(p_entries) AS e(
      entry_id text, account_type text, owner_id text, mode text, currency text,
      amount bigint, new_account_id text)
  LOOP
    v_key := entry.account_type || '/' || entry.owner_id || '/' || coalesce(entry.mode, '-')
      || '/' || entry.currency;
    SELECT a.id, a.allows_negative INTO account
      FROM "payments"."accounts" a
     WHERE a.type = entry.account_type AND a.owner_id = entry.owner_id
       AND a.currency = entry.currency
       AND (a.mode = entry.mode OR (a.mode IS NULL AND entry.mode IS NULL));
    IF NOT FOUND THEN
      INSERT INTO "payments"."accounts" (id, type, owner_id, mode, currency, allows_negative)
      VALUES (entry.new_account_id, entry.account_type, entry.owner_id, entry.mode,
              entry.currency, entry.account_type = 'system')
      ON CONFLICT DO NOTHING;
      -- Created here, or by a concurrent movement that committed while this one waited.
      SELECT a.id, a.allows_negative INTO STRICT account
        FROM "payments"."accounts" a
       WHERE a.type = entry.account_type AND a.owner_id = entry.owner_id
         AND a.currency = entry.currency
         AND (a.mode = entry.mode OR (a.mode IS NULL AND entry.mode IS NULL));
    END IF;
    v_position := array_position(v_ids, account.id);
    IF v_position IS NULL THEN
      v_ids := v_ids || account.id;
      v_keys := v_keys || v_key;
      v_deltas := v_deltas || entry.amount;
      v_system := v_system || account.allows_negative;
    ELSE
      v_deltas[v_position] := v_deltas[v_position] + entry.amount;
    END IF;
    INSERT INTO "payments"."ledger_entries" (id, transaction_id, account_id, amount, currency)
    VALUES (entry.entry_id, p_transaction_id, account.id, entry.amount, entry.currency);
  END LOOP;

  -- Lock the accounts that keep a balance, in id order, and check before changing any. NO KEY
  -- UPDATE is what the balance update needs, and it does not conflict with the KEY SHARE locks
  -- that other movements' entry inserts take on the same accounts (foreign key checks).
  FOR account IN
    SELECT a.id, a.balance FROM "payments"."accounts" a
     WHERE a.id = ANY (v_ids) AND NOT a.allows_negative
     ORDER BY a.id
       FOR NO KEY UPDATE
  LOOP
    v_position := array_position(v_ids, account.id);
    IF account.balance + v_deltas[v_position] < 0 THEN
      RAISE EXCEPTION 'insufficient funds in account %', v_keys[v_position]
        USING ERRCODE = 'EX402', DETAIL = v_keys[v_position];
    END IF;
    IF account.balance + v_deltas[v_position] > 9007199254740991 THEN
      RAISE EXCEPTION 'balance of account % would exceed 2^53 - 1', v_keys[v_position]
        USING ERRCODE = 'EX400', DETAIL = v_keys[v_position];
    END IF;
  END LOOP;

  RETURN QUERY
  UPDATE "payments"."accounts" a
     SET balance = a.balance + d.delta
    FROM unnest(v_ids, v_deltas) AS d(id, delta)
   WHERE a.id = d.id AND NOT a.allows_negative AND d.delta <> 0
  RETURNING (SELECT k FROM unnest(v_ids, v_keys) AS m(id, k) WHERE m.id = a.id), a.balance;
END
$$;
--> statement-breakpoint
-- System accounts stop caching a balance (see above).
UPDATE "payments"."accounts" SET balance = 0 WHERE allows_negative;
