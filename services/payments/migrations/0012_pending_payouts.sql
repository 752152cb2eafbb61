-- Payouts that take time to arrive, as Stripe's (issue 20): a payout is `pending` until its
-- arrival_date by the project's clock, then `paid`; while pending it can be canceled (the money
-- returns to the available balance, a `payout_cancel` movement), and a paid test-mode payout can
-- be reversed by a second payout that brings the money back (`payout_reversal`), which names the
-- original (original_payout_id) as the original names it (reversed_by_id).
ALTER TABLE "payments"."payouts" DROP CONSTRAINT IF EXISTS "payouts_status";
--> statement-breakpoint
ALTER TABLE "payments"."payouts" ADD CONSTRAINT "payouts_status"
  CHECK ("status" in ('pending', 'paid', 'failed', 'canceled'));
--> statement-breakpoint
ALTER TABLE "payments"."payouts" ADD COLUMN "original_payout_id" text REFERENCES "payments"."payouts"("id");
--> statement-breakpoint
ALTER TABLE "payments"."payouts" ADD COLUMN "reversed_by_id" text REFERENCES "payments"."payouts"("id");
--> statement-breakpoint
-- A payout is reversed at most once, and only a paid one that is not itself a reversal.
ALTER TABLE "payments"."payouts" ADD CONSTRAINT "payouts_original_unique" UNIQUE ("original_payout_id");
--> statement-breakpoint
ALTER TABLE "payments"."payouts" ADD CONSTRAINT "payouts_reversed_paid"
  CHECK ("reversed_by_id" is null or ("status" = 'paid' and "original_payout_id" is null));
--> statement-breakpoint
CREATE INDEX "payouts_due_idx" ON "payments"."payouts" ("arrival_date") WHERE "status" = 'pending';
--> statement-breakpoint
ALTER TABLE "payments"."ledger_transactions" DROP CONSTRAINT IF EXISTS "ledger_transactions_kind";
--> statement-breakpoint
ALTER TABLE "payments"."ledger_transactions" ADD CONSTRAINT "ledger_transactions_kind"
  CHECK ("kind" in ('topup', 'transfer', 'payment', 'refund', 'authorization', 'release',
                    'availability', 'dispute', 'dispute_reversal', 'payout', 'payout_failure',
                    'payout_cancel', 'payout_reversal'));
--> statement-breakpoint
ALTER TABLE "payments"."balance_transactions" DROP CONSTRAINT IF EXISTS "balance_transactions_type";
--> statement-breakpoint
ALTER TABLE "payments"."balance_transactions" ADD CONSTRAINT "balance_transactions_type"
  CHECK ("type" in ('payment', 'refund', 'dispute', 'payout', 'payout_failure', 'payout_cancel', 'adjustment'));
--> statement-breakpoint
-- Where a SetupIntent's 3-D Secure challenge sends the cardholder back, as Stripe's return_url
-- (shown in next_action.redirect_to_url.return_url).
ALTER TABLE "payments"."setup_intents" ADD COLUMN "return_url" text;
