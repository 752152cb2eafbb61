-- Checkout Sessions (issue 20): a cart paid on the hosted checkout page. A session owns the
-- payment it opens (one each); its line items are kept as given, with their computed amounts.
CREATE TABLE "payments"."checkout_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"project_id" text NOT NULL,
	"mode" text NOT NULL,
	"payment_id" text NOT NULL REFERENCES "payments"."payments"("id"),
	"status" text DEFAULT 'open' NOT NULL,
	"currency" text NOT NULL,
	"amount_subtotal" bigint NOT NULL,
	"amount_total" bigint NOT NULL,
	"line_items" jsonb NOT NULL,
	"client_reference_id" text,
	"customer_id" text REFERENCES "payments"."customers"("id"),
	"customer_email" text,
	"success_url" text,
	"cancel_url" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"expired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checkout_sessions_mode" CHECK ("mode" in ('test', 'live')),
	CONSTRAINT "checkout_sessions_id_of_mode" CHECK ("id" like ('cs_' || "mode" || '_%')),
	CONSTRAINT "checkout_sessions_status" CHECK ("status" in ('open', 'complete', 'expired')),
	CONSTRAINT "checkout_sessions_completed_when_complete" CHECK (("status" = 'complete') = ("completed_at" is not null)),
	CONSTRAINT "checkout_sessions_currency" CHECK ("currency" ~ '^[a-z]{3}$'),
	CONSTRAINT "checkout_sessions_amounts" CHECK ("amount_subtotal" >= 0 AND "amount_total" = "amount_subtotal"),
	CONSTRAINT "checkout_sessions_line_items" CHECK (jsonb_typeof("line_items") = 'array' AND jsonb_array_length("line_items") between 1 and 100)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "checkout_sessions_payment_id_idx" ON "payments"."checkout_sessions" USING btree ("payment_id");
--> statement-breakpoint
CREATE INDEX "checkout_sessions_project_mode_id_idx" ON "payments"."checkout_sessions" USING btree ("project_id","mode","id");
--> statement-breakpoint
CREATE INDEX "checkout_sessions_customer_idx" ON "payments"."checkout_sessions" USING btree ("customer_id","id") WHERE "customer_id" is not null;
