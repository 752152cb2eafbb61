-- Custom SQL migration (issue 23): the ledger's deferred checks are 0001's again. 0016–0018 ran
-- them once per ledger transaction (a function called from the transaction's trigger, each
-- entry's trigger first asking whether its transaction was written by the same database
-- transaction). The bench's pg_stat_statements, run for run against 0001's checks: 0.13 ms per
-- transfer against 0.06 ms (0001's five statements take 0.01–0.02 ms each; the nested call and
-- the look-ups cost more than the statements they spared), and the same PostgreSQL CPU per
-- transaction within the noise in a pgbench loop over post_ledger_transaction. So 0001's
-- functions are restored unchanged, and the helper is dropped.
CREATE OR REPLACE FUNCTION "payments"."assert_ledger_transaction_balanced"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  unbalanced record;
BEGIN
  SELECT e.currency, sum(e.amount) AS total INTO unbalanced
    FROM "payments"."ledger_entries" e
   WHERE e.transaction_id = NEW.transaction_id
   GROUP BY e.currency
  HAVING sum(e.amount) <> 0
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger transaction % is unbalanced: % entries sum to %',
      NEW.transaction_id, unbalanced.currency, unbalanced.total
      USING ERRCODE = 'check_violation';
  END IF;
  IF EXISTS (
    SELECT 1
      FROM "payments"."ledger_entries" e
      JOIN "payments"."accounts" a ON a.id = e.account_id
     WHERE e.transaction_id = NEW.transaction_id AND a.currency <> e.currency
  ) THEN
    RAISE EXCEPTION 'ledger transaction % has an entry in another currency than its account',
      NEW.transaction_id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "payments"."assert_ledger_transaction_has_entries"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT count(*) FROM "payments"."ledger_entries" WHERE transaction_id = NEW.id) < 2 THEN
    RAISE EXCEPTION 'ledger transaction % needs at least two entries', NEW.id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
DROP FUNCTION "payments"."assert_ledger_transaction_valid"(text);
