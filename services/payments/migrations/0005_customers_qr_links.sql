-- Custom SQL migration (issue 13, DESIGN §9): reusable payment instruments. Customers and the
-- cards saved on them, QR codes that many UPI payments can pay, and payment links that open the
-- hosted checkout. Card numbers are never stored: a saved card keeps its brand, last four digits,
-- expiry and the sandbox token that decides what later charges do.
CREATE TABLE "payments"."customers" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"mode" text NOT NULL,
	"email" text,
	"name" text,
	"description" text,
	"phone" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "customers_mode" CHECK ("mode" in ('test', 'live'))
);
--> statement-breakpoint
CREATE INDEX "customers_merchant_mode_id_idx" ON "payments"."customers" USING btree ("merchant_id","mode","id") WHERE "deleted_at" is null;
--> statement-breakpoint
CREATE TABLE "payments"."payment_methods" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"mode" text NOT NULL,
	"customer_id" text REFERENCES "payments"."customers"("id"),
	"type" text NOT NULL,
	"card_brand" text NOT NULL,
	"card_last4" text NOT NULL,
	"card_exp_month" integer NOT NULL,
	"card_exp_year" integer NOT NULL,
	"card_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"detached_at" timestamp with time zone,
	CONSTRAINT "payment_methods_mode" CHECK ("mode" in ('test', 'live')),
	CONSTRAINT "payment_methods_type" CHECK ("type" = 'card'),
	CONSTRAINT "payment_methods_last4" CHECK ("card_last4" ~ '^[0-9]{4}$'),
	CONSTRAINT "payment_methods_exp_month" CHECK ("card_exp_month" between 1 and 12),
	CONSTRAINT "payment_methods_detached_has_no_customer" CHECK ("detached_at" is null or "customer_id" is null)
);
--> statement-breakpoint
CREATE INDEX "payment_methods_customer_id_idx" ON "payments"."payment_methods" USING btree ("customer_id","id");
--> statement-breakpoint
CREATE TABLE "payments"."qr_codes" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"merchant_name" text NOT NULL,
	"mode" text NOT NULL,
	"usage" text NOT NULL,
	"fixed_amount" boolean NOT NULL,
	"amount" bigint,
	"currency" text DEFAULT 'inr' NOT NULL,
	"description" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"image_url" text NOT NULL,
	"status" text NOT NULL,
	"close_by" timestamp with time zone,
	"close_reason" text,
	"closed_at" timestamp with time zone,
	"payments_count" integer DEFAULT 0 NOT NULL,
	"payments_amount_received" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "qr_codes_mode" CHECK ("mode" in ('test', 'live')),
	CONSTRAINT "qr_codes_usage" CHECK ("usage" in ('single_use', 'multiple_use')),
	CONSTRAINT "qr_codes_status" CHECK ("status" in ('active', 'closed')),
	CONSTRAINT "qr_codes_fixed_amount" CHECK ("fixed_amount" = ("amount" is not null)),
	CONSTRAINT "qr_codes_amount_positive" CHECK ("amount" is null or "amount" > 0),
	CONSTRAINT "qr_codes_closed" CHECK (("status" = 'closed') = ("closed_at" is not null)),
	CONSTRAINT "qr_codes_totals" CHECK ("payments_count" >= 0 and "payments_amount_received" >= 0)
);
--> statement-breakpoint
CREATE INDEX "qr_codes_merchant_mode_id_idx" ON "payments"."qr_codes" USING btree ("merchant_id","mode","id");
--> statement-breakpoint
CREATE INDEX "qr_codes_close_by_idx" ON "payments"."qr_codes" USING btree ("close_by") WHERE "status" = 'active' and "close_by" is not null;
--> statement-breakpoint
CREATE TABLE "payments"."payment_links" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"merchant_name" text NOT NULL,
	"mode" text NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"description" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"url" text NOT NULL,
	"reusable" boolean NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"payments_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_links_mode" CHECK ("mode" in ('test', 'live')),
	CONSTRAINT "payment_links_amount_positive" CHECK ("amount" > 0),
	CONSTRAINT "payment_links_currency" CHECK ("currency" ~ '^[a-z]{3}$')
);
--> statement-breakpoint
CREATE INDEX "payment_links_merchant_mode_id_idx" ON "payments"."payment_links" USING btree ("merchant_id","mode","id");
--> statement-breakpoint
ALTER TABLE "payments"."payments"
	ADD COLUMN "customer_id" text REFERENCES "payments"."customers"("id"),
	ADD COLUMN "payment_method_id" text REFERENCES "payments"."payment_methods"("id"),
	ADD COLUMN "setup_future_usage" text,
	ADD COLUMN "off_session" boolean DEFAULT false NOT NULL,
	ADD COLUMN "card_details" jsonb,
	ADD COLUMN "qr_code_id" text REFERENCES "payments"."qr_codes"("id"),
	ADD COLUMN "payment_link_id" text REFERENCES "payments"."payment_links"("id"),
	ADD CONSTRAINT "payments_setup_future_usage" CHECK ("setup_future_usage" is null or "setup_future_usage" in ('on_session', 'off_session'));
--> statement-breakpoint
CREATE INDEX "payments_qr_code_id_idx" ON "payments"."payments" USING btree ("qr_code_id","id") WHERE "qr_code_id" is not null;
--> statement-breakpoint
CREATE INDEX "payments_payment_link_id_idx" ON "payments"."payments" USING btree ("payment_link_id","id") WHERE "payment_link_id" is not null;
--> statement-breakpoint
CREATE INDEX "payments_customer_id_idx" ON "payments"."payments" USING btree ("customer_id") WHERE "customer_id" is not null;
