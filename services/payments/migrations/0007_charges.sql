-- Custom SQL migration (issue 20): charges as objects of their own. A Charge is one attempt to
-- pay a payment (failed ones included): pending (a UPI collect request the payer has not
-- approved yet), succeeded (paid; captured at once, or held for a manual capture) or failed (the
-- card network or bank said no). It carries what the attempt was made with, the network's
-- outcome, the balance transaction of its money and, once captured and refunded, how much.
-- Scoped by project and mode like every merchant object (issue 19).
CREATE TABLE "payments"."charges" (
  "id" text PRIMARY KEY NOT NULL,
  "payment_id" text NOT NULL REFERENCES "payments"."payments"("id"),
  "merchant_id" text NOT NULL,
  "project_id" text NOT NULL,
  "mode" text NOT NULL,
  "amount" bigint NOT NULL,
  "amount_captured" bigint NOT NULL DEFAULT 0,
  "amount_refunded" bigint NOT NULL DEFAULT 0,
  "currency" text NOT NULL,
  "status" text NOT NULL,
  "captured" boolean NOT NULL DEFAULT false,
  "refunded" boolean NOT NULL DEFAULT false,
  "method" text NOT NULL,
  "payment_method_details" jsonb NOT NULL,
  "failure_code" text,
  "failure_message" text,
  "outcome" jsonb,
  "balance_transaction_id" text,
  "customer_id" text,
  "payment_method_id" text,
  "description" text,
  "receipt_email" text,
  "metadata" jsonb NOT NULL DEFAULT '{}'::jsonb,
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  "updated_at" timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT "charges_status" CHECK ("status" in ('pending', 'succeeded', 'failed')),
  CONSTRAINT "charges_mode" CHECK ("mode" in ('test', 'live')),
  CONSTRAINT "charges_method" CHECK ("method" in ('wallet', 'card', 'upi')),
  CONSTRAINT "charges_amount_positive" CHECK ("amount" > 0),
  CONSTRAINT "charges_amount_captured_range" CHECK (
    "amount_captured" >= 0 and "amount_captured" <= "amount"
    and ("amount_captured" > 0) = "captured"
    and (not "captured" or "status" = 'succeeded')),
  CONSTRAINT "charges_amount_refunded_range" CHECK (
    "amount_refunded" >= 0 and "amount_refunded" <= "amount"
    and ("amount_refunded" = 0 or "status" = 'succeeded')),
  CONSTRAINT "charges_failure_only_when_failed" CHECK (("failure_code" is not null) = ("status" = 'failed'))
);
--> statement-breakpoint
CREATE INDEX "charges_project_mode_id_idx" ON "payments"."charges" USING btree ("project_id", "mode", "id");
--> statement-breakpoint
CREATE INDEX "charges_payment_id_id_idx" ON "payments"."charges" USING btree ("payment_id", "id");
--> statement-breakpoint
CREATE INDEX "charges_customer_id_idx" ON "payments"."charges" USING btree ("customer_id") WHERE "customer_id" is not null;
--> statement-breakpoint
-- The payment's latest attempt; the Charge a refund, a dispute and a payment's balance
-- transaction belong to.
ALTER TABLE "payments"."payments" ADD COLUMN "latest_charge_id" text;
--> statement-breakpoint
ALTER TABLE "payments"."refunds" ADD COLUMN "charge_id" text;
--> statement-breakpoint
ALTER TABLE "payments"."disputes" ADD COLUMN "charge_id" text;
--> statement-breakpoint
ALTER TABLE "payments"."balance_transactions" ADD COLUMN "charge_id" text;
--> statement-breakpoint
-- Backfill: one Charge for the last attempt of every payment that made one, with the id
-- `ch_<the payment id's suffix>` (the id the Stripe port showed for it until now, so ids an
-- integration stored keep working). Paid payments (succeeded, held for capture, or an
-- authorization canceled or expired since, whose ledger has its 'authorization') get a succeeded
-- Charge; processing ones a pending Charge; payments whose last attempt was declined a failed
-- Charge (a failed 3-D Secure challenge is no Charge, as in Stripe). Earlier failed attempts of
-- a payment were never recorded one by one and stay without a Charge.
INSERT INTO "payments"."charges" (
  "id", "payment_id", "merchant_id", "project_id", "mode", "amount", "amount_captured",
  "amount_refunded", "currency", "status", "captured", "refunded", "method",
  "payment_method_details", "failure_code", "failure_message", "outcome",
  "balance_transaction_id", "customer_id", "payment_method_id", "description", "receipt_email",
  "metadata", "created_at", "updated_at"
)
SELECT
  'ch_' || substr(p."id", 5),
  p."id", p."merchant_id", p."project_id", p."mode", p."amount",
  CASE WHEN a."status" = 'succeeded' THEN p."amount_received" ELSE 0 END,
  CASE WHEN a."status" = 'succeeded' THEN
    CASE WHEN p."status" = 'succeeded' THEN p."amount_refunded"
         WHEN p."status" in ('canceled', 'expired') THEN p."amount" ELSE 0 END
  ELSE 0 END,
  p."currency", a."status",
  a."status" = 'succeeded' AND p."amount_received" > 0,
  a."status" = 'succeeded' AND (
    p."status" in ('canceled', 'expired')
    OR (p."amount_refunded" > 0 AND p."amount_refunded" >= p."amount_received")),
  coalesce(p."method", 'card'),
  CASE WHEN coalesce(p."method", 'card') = 'card' AND p."card_details" IS NOT NULL THEN
    jsonb_build_object('type', 'card', 'card', jsonb_build_object(
      'brand', p."card_details"->>'brand', 'last4', p."card_details"->>'last4',
      'exp_month', (p."card_details"->>'exp_month')::int,
      'exp_year', (p."card_details"->>'exp_year')::int,
      'funding', 'credit', 'country', 'US',
      'checks', jsonb_build_object('cvc_check', 'pass', 'address_line1_check', null,
                                   'address_postal_code_check', null)))
  ELSE jsonb_build_object('type', coalesce(p."method", 'card')) END,
  CASE WHEN a."status" = 'failed' THEN p."last_payment_error"->>'code' END,
  CASE WHEN a."status" = 'failed' THEN p."last_payment_error"->>'message' END,
  CASE a."status"
    WHEN 'succeeded' THEN jsonb_build_object('network_status', 'approved_by_network',
      'reason', null, 'risk_level', 'normal', 'seller_message', 'Payment complete.',
      'type', 'authorized')
    WHEN 'failed' THEN jsonb_build_object('network_status', 'declined_by_network',
      'reason', coalesce(p."last_payment_error"->>'decline_code', p."last_payment_error"->>'code'),
      'risk_level', 'normal',
      'seller_message', 'The bank did not return any further details with this decline.',
      'type', 'issuer_declined')
  END,
  (SELECT bt."id" FROM "payments"."balance_transactions" bt
    WHERE bt."payment_id" = p."id" AND bt."type" = 'payment' ORDER BY bt."id" LIMIT 1),
  p."customer_id", p."payment_method_id", p."description", p."customer_email", p."metadata",
  coalesce(p."succeeded_at", p."updated_at"), p."updated_at"
FROM "payments"."payments" p
CROSS JOIN LATERAL (
  SELECT CASE
    WHEN p."status" in ('succeeded', 'requires_capture') THEN 'succeeded'
    WHEN p."status" in ('canceled', 'expired') AND EXISTS (
      SELECT 1 FROM "payments"."ledger_transactions" lt
      WHERE lt."kind" = 'authorization' AND lt."reference" = p."id") THEN 'succeeded'
    WHEN p."status" = 'processing' THEN 'pending'
    WHEN p."last_payment_error" IS NOT NULL
      AND p."last_payment_error"->>'code' <> 'authentication_failed' THEN 'failed'
  END AS "status"
) a
WHERE a."status" IS NOT NULL;
--> statement-breakpoint
UPDATE "payments"."payments" p SET "latest_charge_id" = c."id"
FROM "payments"."charges" c WHERE c."payment_id" = p."id";
--> statement-breakpoint
UPDATE "payments"."refunds" r SET "charge_id" = c."id"
FROM "payments"."charges" c WHERE c."payment_id" = r."payment_id";
--> statement-breakpoint
UPDATE "payments"."disputes" d SET "charge_id" = c."id"
FROM "payments"."charges" c WHERE c."payment_id" = d."payment_id";
--> statement-breakpoint
UPDATE "payments"."balance_transactions" bt SET "charge_id" = c."id"
FROM "payments"."charges" c WHERE c."payment_id" = bt."payment_id" AND bt."type" = 'payment';
