-- Custom SQL migration (issue 13): where the merchant's money goes — sandbox fees, balance
-- transactions with pending → available, payouts and disputes.
--
-- A merchant's money now lives in two ledger accounts per mode and currency: 'merchant' is the
-- AVAILABLE balance (as before, so payouts and refunds keep their meaning) and 'merchant_pending'
-- holds payments until they become available (2 days later on the project clock). Moving money
-- from one to the other is a ledger transaction of kind 'availability', so "balance transactions
-- sum to the balance" is a fact of the ledger, checked by reconciliation.
ALTER TABLE "payments"."accounts" DROP CONSTRAINT IF EXISTS "accounts_type";
--> statement-breakpoint
ALTER TABLE "payments"."accounts" ADD CONSTRAINT "accounts_type"
  CHECK ("type" in ('wallet', 'merchant', 'merchant_pending', 'hold', 'system'));
--> statement-breakpoint
ALTER TABLE "payments"."accounts" DROP CONSTRAINT IF EXISTS "accounts_mode";
--> statement-breakpoint
ALTER TABLE "payments"."accounts" ADD CONSTRAINT "accounts_mode"
  CHECK (("type" in ('merchant', 'merchant_pending')) = ("mode" is not null));
--> statement-breakpoint
ALTER TABLE "payments"."ledger_transactions" DROP CONSTRAINT IF EXISTS "ledger_transactions_kind";
--> statement-breakpoint
ALTER TABLE "payments"."ledger_transactions" ADD CONSTRAINT "ledger_transactions_kind"
  CHECK ("kind" in ('topup', 'transfer', 'payment', 'refund', 'authorization', 'release',
                    'availability', 'dispute', 'dispute_reversal', 'payout', 'payout_failure'));
--> statement-breakpoint
-- Fees are on by default; a merchant (project) may turn them off for its sandbox.
CREATE TABLE "payments"."balance_settings" (
  "merchant_id" text PRIMARY KEY NOT NULL,
  "fees_enabled" boolean NOT NULL DEFAULT true,
  "updated_at" timestamp with time zone NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "payments"."disputes" (
  "id" text PRIMARY KEY NOT NULL,
  "payment_id" text NOT NULL REFERENCES "payments"."payments"("id"),
  "merchant_id" text NOT NULL,
  "mode" text NOT NULL,
  "amount" bigint NOT NULL,
  "currency" text NOT NULL,
  "status" text NOT NULL,
  "reason" text NOT NULL,
  "evidence" jsonb NOT NULL DEFAULT '{}'::jsonb,
  "evidence_due_by" timestamp with time zone NOT NULL,
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  "closed_at" timestamp with time zone,
  -- A payment is disputed at most once, so it is debited at most once.
  CONSTRAINT "disputes_payment_unique" UNIQUE ("payment_id"),
  CONSTRAINT "disputes_amount_positive" CHECK ("amount" > 0),
  CONSTRAINT "disputes_mode" CHECK ("mode" in ('test', 'live')),
  CONSTRAINT "disputes_status" CHECK ("status" in ('needs_response', 'won', 'lost')),
  CONSTRAINT "disputes_closed" CHECK (("status" = 'needs_response') = ("closed_at" is null))
);
--> statement-breakpoint
CREATE INDEX "disputes_merchant_mode_id_idx" ON "payments"."disputes" ("merchant_id", "mode", "id");
--> statement-breakpoint
CREATE INDEX "disputes_due_idx" ON "payments"."disputes" ("evidence_due_by") WHERE "status" = 'needs_response';
--> statement-breakpoint
CREATE TABLE "payments"."payouts" (
  "id" text PRIMARY KEY NOT NULL,
  "merchant_id" text NOT NULL,
  "mode" text NOT NULL,
  "amount" bigint NOT NULL,
  "currency" text NOT NULL,
  "status" text NOT NULL,
  "destination_vpa" text NOT NULL,
  "failure_code" text,
  "failure_message" text,
  "metadata" jsonb NOT NULL DEFAULT '{}'::jsonb,
  "arrival_date" timestamp with time zone NOT NULL,
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "payouts_amount_positive" CHECK ("amount" > 0),
  CONSTRAINT "payouts_mode" CHECK ("mode" in ('test', 'live')),
  CONSTRAINT "payouts_status" CHECK ("status" in ('paid', 'failed')),
  CONSTRAINT "payouts_failure" CHECK (("status" = 'failed') = ("failure_code" is not null))
);
--> statement-breakpoint
CREATE INDEX "payouts_merchant_mode_id_idx" ON "payments"."payouts" ("merchant_id", "mode", "id");
--> statement-breakpoint
-- One row per change of a merchant balance, written in the same transaction as its ledger
-- transaction. `payment_id` is the payment whose money moved (NULL for payouts): every
-- balance transaction of a payment becomes available together with the payment's own.
CREATE TABLE "payments"."balance_transactions" (
  "id" text PRIMARY KEY NOT NULL,
  "merchant_id" text NOT NULL,
  "mode" text NOT NULL,
  "type" text NOT NULL,
  "amount" bigint NOT NULL,
  "fee" bigint NOT NULL,
  "net" bigint NOT NULL,
  "currency" text NOT NULL,
  "source" text NOT NULL,
  "payment_id" text,
  "ledger_transaction_id" text NOT NULL REFERENCES "payments"."ledger_transactions"("id"),
  "status" text NOT NULL,
  "available_on" timestamp with time zone NOT NULL,
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "balance_transactions_type" CHECK ("type" in ('payment', 'refund', 'dispute', 'payout', 'payout_failure', 'adjustment')),
  CONSTRAINT "balance_transactions_status" CHECK ("status" in ('pending', 'available')),
  CONSTRAINT "balance_transactions_mode" CHECK ("mode" in ('test', 'live')),
  CONSTRAINT "balance_transactions_net" CHECK ("net" = "amount" - "fee"),
  CONSTRAINT "balance_transactions_ledger_unique" UNIQUE ("ledger_transaction_id")
);
--> statement-breakpoint
CREATE INDEX "balance_transactions_merchant_mode_id_idx" ON "payments"."balance_transactions" ("merchant_id", "mode", "id");
--> statement-breakpoint
CREATE INDEX "balance_transactions_payment_idx" ON "payments"."balance_transactions" ("payment_id");
--> statement-breakpoint
CREATE INDEX "balance_transactions_due_idx" ON "payments"."balance_transactions" ("available_on") WHERE "status" = 'pending';
