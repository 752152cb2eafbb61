-- Custom SQL migration (issue 23): the check of a ledger transaction (0016, 0017) runs 0001's own
-- three statements — the entry count, the per-currency sum, the account currency — once per
-- ledger transaction. 0016 and 0017 folded them into one grouped query over a join; the bench's
-- pg_stat_statements gave that query 0.5–1.9 ms per transfer where 0001's statements took
-- 0.01–0.1 ms each (its plan, a sort and aggregate over the join, is costlier to make and to run
-- than the three index look-ups). The entry triggers still check only entries appended to a
-- transaction another database transaction wrote (0016).
CREATE OR REPLACE FUNCTION "payments"."assert_ledger_transaction_valid"(p_transaction_id text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  unbalanced record;
BEGIN
  IF (SELECT count(*) FROM "payments"."ledger_entries" WHERE transaction_id = p_transaction_id) < 2
  THEN
    RAISE EXCEPTION 'ledger transaction % needs at least two entries', p_transaction_id
      USING ERRCODE = 'check_violation';
  END IF;
  SELECT e.currency, sum(e.amount) AS total INTO unbalanced
    FROM "payments"."ledger_entries" e
   WHERE e.transaction_id = p_transaction_id
   GROUP BY e.currency
  HAVING sum(e.amount) <> 0
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger transaction % is unbalanced: % entries sum to %',
      p_transaction_id, unbalanced.currency, unbalanced.total
      USING ERRCODE = 'check_violation';
  END IF;
  IF EXISTS (
    SELECT 1
      FROM "payments"."ledger_entries" e
      JOIN "payments"."accounts" a ON a.id = e.account_id
     WHERE e.transaction_id = p_transaction_id AND a.currency <> e.currency
  ) THEN
    RAISE EXCEPTION 'ledger transaction % has an entry in another currency than its account',
      p_transaction_id
      USING ERRCODE = 'check_violation';
  END IF;
END
$$;
