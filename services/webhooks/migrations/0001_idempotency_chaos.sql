-- Idempotency-Key answers of the webhook endpoint POSTs (the server kit's runIdempotent); bodies
-- sealed, since create and rotate_secret answers carry a signing secret.
CREATE TABLE "webhooks"."idempotency_keys" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"response_status" integer NOT NULL,
	"response_body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY("scope","key"),
	CONSTRAINT "idempotency_keys_key_length" CHECK (char_length("key") between 1 and 255)
);
--> statement-breakpoint
CREATE INDEX "idempotency_keys_expires_at_idx" ON "webhooks"."idempotency_keys" USING btree ("expires_at");
--> statement-breakpoint
-- Webhook chaos (DESIGN §9), test mode only: a live endpoint never carries it.
ALTER TABLE "webhooks"."endpoints" ADD COLUMN "simulate" jsonb;
--> statement-breakpoint
ALTER TABLE "webhooks"."endpoints" ADD CONSTRAINT "endpoints_simulate_test_only" CHECK ("simulate" is null or "mode" = 'test');
