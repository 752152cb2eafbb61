-- Custom SQL migration (drizzle cannot express triggers): every statement that records events
-- still to be relayed wakes the outbox relay, whoever writes them — the services' own inserts
-- and the SQL functions alike (wallet_transfer, migration 0014, inserts its event itself). The
-- relay LISTENs on the channel the kit names for this table (outboxChannel: expe_outbox_<schema>_
-- <table>); PostgreSQL delivers the NOTIFY only when the transaction commits, once however many
-- rows it wrote, and never for a rollback. Events stored already relayed (copies of other
-- services' events) wake nobody.
CREATE FUNCTION "payments"."notify_events_relay"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM inserted WHERE relayed_at IS NULL) THEN
    PERFORM pg_notify('expe_outbox_payments_events', '');
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "events_notify_relay" AFTER INSERT ON "payments"."events"
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION "payments"."notify_events_relay"();
