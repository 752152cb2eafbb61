-- Custom SQL migration (drizzle cannot express triggers): every statement that records outbox
-- rows still to be relayed wakes the outbox relay, whoever writes them. The relay LISTENs on the
-- channel the kit names for this table (outboxChannel: expe_outbox_<schema>_<table>); PostgreSQL
-- delivers the NOTIFY only when the transaction commits, once however many rows it wrote, and
-- never for a rollback.
CREATE FUNCTION "webhooks"."notify_outbox_relay"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM inserted WHERE relayed_at IS NULL) THEN
    PERFORM pg_notify('expe_outbox_webhooks_outbox', '');
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "outbox_notify_relay" AFTER INSERT ON "webhooks"."outbox"
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION "webhooks"."notify_outbox_relay"();
