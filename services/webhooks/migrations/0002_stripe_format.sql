-- Endpoints made through the Stripe-compatible API (DESIGN §10) receive Stripe Event objects
-- signed with Stripe-Signature; every other endpoint keeps Expe's payloads.
ALTER TABLE "webhooks"."endpoints" ADD COLUMN "format" text DEFAULT 'expe' NOT NULL;
--> statement-breakpoint
ALTER TABLE "webhooks"."endpoints" ADD CONSTRAINT "endpoints_format" CHECK ("webhooks"."endpoints"."format" in ('expe', 'stripe'));
