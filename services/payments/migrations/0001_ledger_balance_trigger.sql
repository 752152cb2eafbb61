-- Custom SQL migration (drizzle cannot express triggers): the database itself refuses a ledger
-- transaction whose entries do not sum to zero per currency, or that has fewer than two
-- entries, or whose entries disagree with their account's currency. The checks are deferred
-- constraint triggers, so they run at COMMIT, after every entry of the transaction is written.
-- Ledger rows are append-only: a correction is a new transaction, never an edit.
CREATE FUNCTION "payments"."assert_ledger_transaction_balanced"() RETURNS trigger
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
CREATE CONSTRAINT TRIGGER "ledger_entries_balanced"
  AFTER INSERT ON "payments"."ledger_entries"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION "payments"."assert_ledger_transaction_balanced"();
--> statement-breakpoint
CREATE FUNCTION "payments"."assert_ledger_transaction_has_entries"() RETURNS trigger
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
CREATE CONSTRAINT TRIGGER "ledger_transactions_have_entries"
  AFTER INSERT ON "payments"."ledger_transactions"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION "payments"."assert_ledger_transaction_has_entries"();
--> statement-breakpoint
CREATE FUNCTION "payments"."refuse_ledger_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "ledger_entries_append_only"
  BEFORE UPDATE OR DELETE ON "payments"."ledger_entries"
  FOR EACH ROW EXECUTE FUNCTION "payments"."refuse_ledger_change"();
--> statement-breakpoint
CREATE TRIGGER "ledger_transactions_append_only"
  BEFORE UPDATE OR DELETE ON "payments"."ledger_transactions"
  FOR EACH ROW EXECUTE FUNCTION "payments"."refuse_ledger_change"();
