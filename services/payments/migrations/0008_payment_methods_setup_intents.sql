-- Custom SQL migration (issue 20): PaymentMethods as Stripe has them, and SetupIntents. A saved
-- card already is a PaymentMethod attached to a customer; it now also exists before it is
-- attached (created from a test token or a sandbox card number), carries billing details,
-- metadata, funding, country and a fingerprint, and can be updated. Card numbers are still never
-- stored: the fingerprint is a digest of what the row keeps, per project.
ALTER TABLE "payments"."payment_methods"
	ADD COLUMN "billing_details" jsonb DEFAULT '{"address":null,"email":null,"name":null,"phone":null}'::jsonb NOT NULL,
	ADD COLUMN "metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	ADD COLUMN "card_funding" text DEFAULT 'credit' NOT NULL,
	ADD COLUMN "card_country" text DEFAULT 'US' NOT NULL,
	ADD COLUMN "card_fingerprint" text,
	ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;
--> statement-breakpoint
-- The saved cards made before: the same digest the service computes (saved-cards.ts).
UPDATE "payments"."payment_methods"
	SET "card_fingerprint" = substr(encode(sha256(convert_to("project_id" || ':' || "card_brand" || ':' || "card_last4" || ':' || "card_token", 'UTF8')), 'hex'), 1, 16),
		"updated_at" = "created_at";
--> statement-breakpoint
ALTER TABLE "payments"."payment_methods" ALTER COLUMN "card_fingerprint" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "payments"."payment_methods"
	ADD CONSTRAINT "payment_methods_funding" CHECK ("card_funding" in ('credit', 'debit', 'prepaid', 'unknown'));
--> statement-breakpoint
CREATE TABLE "payments"."setup_intents" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"project_id" text NOT NULL,
	"mode" text NOT NULL,
	"status" text NOT NULL,
	"usage" text NOT NULL,
	"customer_id" text REFERENCES "payments"."customers"("id"),
	"payment_method_id" text REFERENCES "payments"."payment_methods"("id"),
	"description" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"last_setup_error" jsonb,
	"cancellation_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "setup_intents_mode" CHECK ("mode" in ('test', 'live')),
	CONSTRAINT "setup_intents_status" CHECK ("status" in ('requires_payment_method', 'requires_confirmation', 'requires_action', 'processing', 'succeeded', 'canceled')),
	CONSTRAINT "setup_intents_usage" CHECK ("usage" in ('on_session', 'off_session')),
	CONSTRAINT "setup_intents_succeeded_has_payment_method" CHECK ("status" <> 'succeeded' or "payment_method_id" is not null)
);
--> statement-breakpoint
CREATE INDEX "setup_intents_project_mode_id_idx" ON "payments"."setup_intents" USING btree ("project_id","mode","id");
--> statement-breakpoint
CREATE INDEX "payment_methods_project_mode_customer_idx" ON "payments"."payment_methods" USING btree ("project_id","mode","customer_id","id");
