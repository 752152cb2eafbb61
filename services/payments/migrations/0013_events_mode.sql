-- The outbox takes the kit's one shape (issue 25): `payments.events` says its mode as every other
-- table does, `mode` ('test' | 'live'), no longer the boolean `livemode`. Backfilled from
-- livemode before it is dropped, so the events a database holds keep their mode.
ALTER TABLE "payments"."events" ADD COLUMN "mode" text;
--> statement-breakpoint
UPDATE "payments"."events" SET "mode" = CASE WHEN "livemode" THEN 'live' ELSE 'test' END;
--> statement-breakpoint
ALTER TABLE "payments"."events" ALTER COLUMN "mode" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "payments"."events" ADD CONSTRAINT "events_mode" CHECK ("mode" in ('test', 'live'));
--> statement-breakpoint
DROP INDEX IF EXISTS "payments"."events_project_livemode_id_idx";
--> statement-breakpoint
CREATE INDEX "events_project_mode_id_idx" ON "payments"."events" USING btree ("project_id", "mode", "id");
--> statement-breakpoint
ALTER TABLE "payments"."events" DROP COLUMN "livemode";
