-- Custom SQL migration (issue 13): 3-D Secure and manual capture states, ledger holds and the
-- per-merchant test clock.
--
-- A manual-capture payment's money sits on a `hold` account of its own (owner_id = the payment
-- id, no mode, never negative) between authorization and capture: the `authorization` movement
-- fills it with exactly the payment's amount, the capture (`payment`) and the `release` empty it,
-- so the database itself refuses a hold that would give out more than was authorized.
ALTER TABLE "payments"."accounts" DROP CONSTRAINT "accounts_type";
--> statement-breakpoint
ALTER TABLE "payments"."accounts" ADD CONSTRAINT "accounts_type"
  CHECK ("type" in ('wallet', 'merchant', 'system', 'hold'));
--> statement-breakpoint
ALTER TABLE "payments"."ledger_transactions" DROP CONSTRAINT "ledger_transactions_kind";
--> statement-breakpoint
ALTER TABLE "payments"."ledger_transactions" ADD CONSTRAINT "ledger_transactions_kind"
  CHECK ("kind" in ('topup', 'transfer', 'payment', 'refund', 'authorization', 'release'));
--> statement-breakpoint
ALTER TABLE "payments"."payments" DROP CONSTRAINT "payments_status";
--> statement-breakpoint
ALTER TABLE "payments"."payments" ADD CONSTRAINT "payments_status"
  CHECK ("status" in ('requires_payment_method', 'requires_action', 'processing',
                      'requires_capture', 'succeeded', 'canceled', 'expired'));
--> statement-breakpoint
ALTER TABLE "payments"."payments"
  ADD COLUMN "amount_capturable" bigint DEFAULT 0 NOT NULL,
  ADD COLUMN "amount_received" bigint DEFAULT 0 NOT NULL,
  ADD COLUMN "capture_method" text DEFAULT 'automatic' NOT NULL,
  ADD COLUMN "authorization_expires_at" timestamp with time zone;
--> statement-breakpoint
UPDATE "payments"."payments" SET "amount_received" = "amount" WHERE "status" = 'succeeded';
--> statement-breakpoint
ALTER TABLE "payments"."payments"
  ADD CONSTRAINT "payments_capture_method" CHECK ("capture_method" in ('automatic', 'manual')),
  ADD CONSTRAINT "payments_amount_capturable_range" CHECK (
    "amount_capturable" >= 0 and "amount_capturable" <= "amount"
    and ("amount_capturable" = 0 or "status" = 'requires_capture')),
  ADD CONSTRAINT "payments_amount_received_range" CHECK (
    "amount_received" >= 0 and "amount_received" <= "amount"
    and "amount_refunded" <= "amount_received");
--> statement-breakpoint
CREATE INDEX "payments_action_expiry_idx" ON "payments"."payments" ("expires_at")
  WHERE status = 'requires_action';
--> statement-breakpoint
CREATE INDEX "payments_authorization_expiry_idx" ON "payments"."payments" ("authorization_expires_at")
  WHERE status = 'requires_capture';
--> statement-breakpoint
-- A merchant's test-mode clock: real time plus an offset that only grows. Live mode has none.
CREATE TABLE "payments"."test_clocks" (
  "merchant_id" text PRIMARY KEY NOT NULL,
  "offset_seconds" bigint DEFAULT 0 NOT NULL,
  "updated_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "test_clocks_offset_not_negative" CHECK ("offset_seconds" >= 0)
);
