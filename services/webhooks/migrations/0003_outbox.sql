-- The webhooks service's own outbox (ADR 0009): webhook_endpoint.* events are written here in
-- the transaction of the endpoint change, then relayed to the fan-out queue and to the event
-- log payments serves, instead of being POSTed to payments.
CREATE TABLE "webhooks"."outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"mode" text NOT NULL,
	"type" text NOT NULL,
	"data" jsonb NOT NULL,
	"traceparent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"relayed_at" timestamp with time zone,
	CONSTRAINT "outbox_mode" CHECK ("webhooks"."outbox"."mode" in ('test', 'live')),
	CONSTRAINT "outbox_type" CHECK ("webhooks"."outbox"."type" like 'webhook\_endpoint.%')
);
--> statement-breakpoint
CREATE INDEX "outbox_unrelayed_idx" ON "webhooks"."outbox" USING btree ("id") WHERE relayed_at is null;
