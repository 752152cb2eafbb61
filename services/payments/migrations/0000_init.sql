CREATE SCHEMA "payments";
--> statement-breakpoint
CREATE TABLE "payments"."accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"owner_id" text NOT NULL,
	"mode" text,
	"currency" text NOT NULL,
	"balance" bigint DEFAULT 0 NOT NULL,
	"allows_negative" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_owner_unique" UNIQUE NULLS NOT DISTINCT("type","owner_id","mode","currency"),
	CONSTRAINT "accounts_type" CHECK ("payments"."accounts"."type" in ('wallet', 'merchant', 'system')),
	CONSTRAINT "accounts_mode" CHECK (("payments"."accounts"."type" = 'merchant') = ("payments"."accounts"."mode" is not null)),
	CONSTRAINT "accounts_mode_value" CHECK ("payments"."accounts"."mode" is null or "payments"."accounts"."mode" in ('test', 'live')),
	CONSTRAINT "accounts_currency" CHECK ("payments"."accounts"."currency" ~ '^[a-z]{3}$'),
	CONSTRAINT "accounts_only_system_negative" CHECK ("payments"."accounts"."type" = 'system' or not "payments"."accounts"."allows_negative"),
	CONSTRAINT "accounts_balance_not_negative" CHECK ("payments"."accounts"."allows_negative" or "payments"."accounts"."balance" >= 0)
);
--> statement-breakpoint
CREATE TABLE "payments"."events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"livemode" boolean NOT NULL,
	"merchant_id" text,
	"user_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"object_id" text NOT NULL,
	"payment_id" text,
	"data" jsonb NOT NULL,
	"traceparent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"relayed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "payments"."idempotency_keys" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"response_status" integer NOT NULL,
	"response_body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY("scope","key"),
	CONSTRAINT "idempotency_keys_key_length" CHECK (char_length("payments"."idempotency_keys"."key") between 1 and 255)
);
--> statement-breakpoint
CREATE TABLE "payments"."ledger_entries" (
	"id" text PRIMARY KEY NOT NULL,
	"transaction_id" text NOT NULL,
	"account_id" text NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	CONSTRAINT "ledger_entries_amount_not_zero" CHECK ("payments"."ledger_entries"."amount" <> 0)
);
--> statement-breakpoint
CREATE TABLE "payments"."ledger_transactions" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"reference" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_transactions_kind_reference_unique" UNIQUE("kind","reference"),
	CONSTRAINT "ledger_transactions_kind" CHECK ("payments"."ledger_transactions"."kind" in ('topup', 'transfer', 'payment', 'refund'))
);
--> statement-breakpoint
CREATE TABLE "payments"."payments" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"merchant_name" text NOT NULL,
	"mode" text NOT NULL,
	"amount" bigint NOT NULL,
	"amount_refunded" bigint DEFAULT 0 NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"method" text,
	"description" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"customer_email" text,
	"return_url" text,
	"last_payment_error" jsonb,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"payer_user_id" text,
	"processing_due_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	"succeeded_at" timestamp with time zone,
	"canceled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_amount_positive" CHECK ("payments"."payments"."amount" > 0),
	CONSTRAINT "payments_amount_refunded_range" CHECK ("payments"."payments"."amount_refunded" >= 0 and "payments"."payments"."amount_refunded" <= "payments"."payments"."amount"),
	CONSTRAINT "payments_status" CHECK ("payments"."payments"."status" in ('requires_payment_method', 'processing', 'succeeded', 'canceled', 'expired')),
	CONSTRAINT "payments_method" CHECK ("payments"."payments"."method" is null or "payments"."payments"."method" in ('wallet', 'card', 'upi')),
	CONSTRAINT "payments_mode" CHECK ("payments"."payments"."mode" in ('test', 'live')),
	CONSTRAINT "payments_currency" CHECK ("payments"."payments"."currency" ~ '^[a-z]{3}$'),
	CONSTRAINT "payments_refund_needs_success" CHECK ("payments"."payments"."amount_refunded" = 0 or "payments"."payments"."status" = 'succeeded'),
	CONSTRAINT "payments_failed_attempts" CHECK ("payments"."payments"."failed_attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "payments"."refunds" (
	"id" text PRIMARY KEY NOT NULL,
	"payment_id" text NOT NULL,
	"merchant_id" text NOT NULL,
	"mode" text NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunds_amount_positive" CHECK ("payments"."refunds"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "payments"."topups" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "topups_amount_positive" CHECK ("payments"."topups"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "payments"."transfers" (
	"id" text PRIMARY KEY NOT NULL,
	"from_user_id" text NOT NULL,
	"from_vpa" text NOT NULL,
	"from_name" text NOT NULL,
	"to_user_id" text NOT NULL,
	"to_vpa" text NOT NULL,
	"to_name" text NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transfers_amount_positive" CHECK ("payments"."transfers"."amount" > 0),
	CONSTRAINT "transfers_not_to_self" CHECK ("payments"."transfers"."from_user_id" <> "payments"."transfers"."to_user_id")
);
--> statement-breakpoint
ALTER TABLE "payments"."ledger_entries" ADD CONSTRAINT "ledger_entries_transaction_id_ledger_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "payments"."ledger_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."ledger_entries" ADD CONSTRAINT "ledger_entries_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "payments"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."refunds" ADD CONSTRAINT "refunds_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "payments"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "events_merchant_livemode_id_idx" ON "payments"."events" USING btree ("merchant_id","livemode","id");--> statement-breakpoint
CREATE INDEX "events_payment_id_id_idx" ON "payments"."events" USING btree ("payment_id","id");--> statement-breakpoint
CREATE INDEX "events_unrelayed_idx" ON "payments"."events" USING btree ("id") WHERE relayed_at is null;--> statement-breakpoint
CREATE INDEX "idempotency_keys_expires_at_idx" ON "payments"."idempotency_keys" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "ledger_entries_transaction_id_idx" ON "payments"."ledger_entries" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "ledger_entries_account_id_id_idx" ON "payments"."ledger_entries" USING btree ("account_id","id");--> statement-breakpoint
CREATE INDEX "payments_merchant_mode_id_idx" ON "payments"."payments" USING btree ("merchant_id","mode","id");--> statement-breakpoint
CREATE INDEX "payments_processing_due_idx" ON "payments"."payments" USING btree ("processing_due_at") WHERE status = 'processing';--> statement-breakpoint
CREATE INDEX "payments_expiry_idx" ON "payments"."payments" USING btree ("expires_at") WHERE status = 'requires_payment_method';--> statement-breakpoint
CREATE INDEX "refunds_merchant_mode_id_idx" ON "payments"."refunds" USING btree ("merchant_id","mode","id");--> statement-breakpoint
CREATE INDEX "refunds_payment_id_idx" ON "payments"."refunds" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "topups_user_id_created_at_idx" ON "payments"."topups" USING btree ("user_id","created_at");