-- Custom SQL migration (issue 19): a project is a sandbox. Every merchant object is scoped by
-- its project and mode instead of its merchant and mode; the merchant stays on the rows as their
-- owner. Merchant ledger accounts ('merchant', 'merchant_pending') are owned by a project
-- (owner_id = the project id), so each project has its own balances, fees, payouts and clock.
--
-- Rows made before this migration belong to "the merchant's first project": the merchant's
-- oldest project by (created_at, id) that is not deleted, or, when all are deleted, its oldest
-- project. Rows archived by an earlier test-data reset (owner `mer_x~reset~n`) stay archived
-- under `<first project of mer_x>~reset~n`, which no key acts in. merchants.projects belongs to
-- the merchants service: on a database where it does not exist yet (a fresh install) there is
-- nothing to assign. Rows of a merchant without any project (none can exist: a key belongs to a
-- project) stop the migration with a message, before anything is changed for good.
CREATE TABLE "payments"."migration_0006_first_projects" (
  "merchant_id" text PRIMARY KEY NOT NULL,
  "project_id" text NOT NULL
);
--> statement-breakpoint
DO $$
BEGIN
  IF to_regclass('merchants.projects') IS NOT NULL THEN
    INSERT INTO "payments"."migration_0006_first_projects" ("merchant_id", "project_id")
    SELECT DISTINCT ON ("merchant_id") "merchant_id", "id"
    FROM "merchants"."projects"
    ORDER BY "merchant_id", ("deleted_at" IS NOT NULL), "created_at", "id";
  END IF;
END $$;
--> statement-breakpoint
-- The project a row of `owner` (a merchant id, or an archived `mer_x~reset~n`) belongs to.
CREATE FUNCTION "payments"."migration_0006_project_of"("owner" text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT (SELECT f."project_id" FROM "payments"."migration_0006_first_projects" f
            WHERE f."merchant_id" = split_part("owner", '~reset~', 1))
    || CASE WHEN strpos("owner", '~reset~') > 0
         THEN '~reset~' || split_part("owner", '~reset~', 2) ELSE '' END
$$;
--> statement-breakpoint
ALTER TABLE "payments"."payments" ADD COLUMN "project_id" text;
--> statement-breakpoint
UPDATE "payments"."payments" SET "project_id" = "payments"."migration_0006_project_of"("merchant_id");
--> statement-breakpoint
ALTER TABLE "payments"."refunds" ADD COLUMN "project_id" text;
--> statement-breakpoint
UPDATE "payments"."refunds" SET "project_id" = "payments"."migration_0006_project_of"("merchant_id");
--> statement-breakpoint
ALTER TABLE "payments"."customers" ADD COLUMN "project_id" text;
--> statement-breakpoint
UPDATE "payments"."customers" SET "project_id" = "payments"."migration_0006_project_of"("merchant_id");
--> statement-breakpoint
ALTER TABLE "payments"."payment_methods" ADD COLUMN "project_id" text;
--> statement-breakpoint
UPDATE "payments"."payment_methods" SET "project_id" = "payments"."migration_0006_project_of"("merchant_id");
--> statement-breakpoint
ALTER TABLE "payments"."qr_codes" ADD COLUMN "project_id" text;
--> statement-breakpoint
UPDATE "payments"."qr_codes" SET "project_id" = "payments"."migration_0006_project_of"("merchant_id");
--> statement-breakpoint
ALTER TABLE "payments"."payment_links" ADD COLUMN "project_id" text;
--> statement-breakpoint
UPDATE "payments"."payment_links" SET "project_id" = "payments"."migration_0006_project_of"("merchant_id");
--> statement-breakpoint
ALTER TABLE "payments"."disputes" ADD COLUMN "project_id" text;
--> statement-breakpoint
UPDATE "payments"."disputes" SET "project_id" = "payments"."migration_0006_project_of"("merchant_id");
--> statement-breakpoint
ALTER TABLE "payments"."payouts" ADD COLUMN "project_id" text;
--> statement-breakpoint
UPDATE "payments"."payouts" SET "project_id" = "payments"."migration_0006_project_of"("merchant_id");
--> statement-breakpoint
ALTER TABLE "payments"."balance_transactions" ADD COLUMN "project_id" text;
--> statement-breakpoint
UPDATE "payments"."balance_transactions" SET "project_id" = "payments"."migration_0006_project_of"("merchant_id");
--> statement-breakpoint
ALTER TABLE "payments"."balance_settings" ADD COLUMN "project_id" text;
--> statement-breakpoint
UPDATE "payments"."balance_settings" SET "project_id" = "payments"."migration_0006_project_of"("merchant_id");
--> statement-breakpoint
ALTER TABLE "payments"."test_clocks" ADD COLUMN "project_id" text;
--> statement-breakpoint
UPDATE "payments"."test_clocks" SET "project_id" = "payments"."migration_0006_project_of"("merchant_id");
--> statement-breakpoint
ALTER TABLE "payments"."events" ADD COLUMN "project_id" text;
--> statement-breakpoint
UPDATE "payments"."events" SET "project_id" = "payments"."migration_0006_project_of"("merchant_id") WHERE "merchant_id" IS NOT NULL;
--> statement-breakpoint
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM "payments"."payments" WHERE "project_id" IS NULL)
    OR EXISTS (SELECT 1 FROM "payments"."refunds" WHERE "project_id" IS NULL)
    OR EXISTS (SELECT 1 FROM "payments"."customers" WHERE "project_id" IS NULL)
    OR EXISTS (SELECT 1 FROM "payments"."payment_methods" WHERE "project_id" IS NULL)
    OR EXISTS (SELECT 1 FROM "payments"."qr_codes" WHERE "project_id" IS NULL)
    OR EXISTS (SELECT 1 FROM "payments"."payment_links" WHERE "project_id" IS NULL)
    OR EXISTS (SELECT 1 FROM "payments"."disputes" WHERE "project_id" IS NULL)
    OR EXISTS (SELECT 1 FROM "payments"."payouts" WHERE "project_id" IS NULL)
    OR EXISTS (SELECT 1 FROM "payments"."balance_transactions" WHERE "project_id" IS NULL)
    OR EXISTS (SELECT 1 FROM "payments"."balance_settings" WHERE "project_id" IS NULL)
    OR EXISTS (SELECT 1 FROM "payments"."test_clocks" WHERE "project_id" IS NULL)
    OR EXISTS (SELECT 1 FROM "payments"."events" WHERE "merchant_id" IS NOT NULL AND "project_id" IS NULL)
    OR EXISTS (SELECT 1 FROM "payments"."accounts" WHERE "type" IN ('merchant', 'merchant_pending')
      AND "payments"."migration_0006_project_of"("owner_id") IS NULL) THEN
    RAISE EXCEPTION 'payments rows of a merchant without any project in merchants.projects: run the merchants migrations first, or give the merchant a project';
  END IF;
END $$;
--> statement-breakpoint
-- A merchant's balances become its first project's (archived ones stay archived).
UPDATE "payments"."accounts" SET "owner_id" = "payments"."migration_0006_project_of"("owner_id")
WHERE "type" IN ('merchant', 'merchant_pending');
--> statement-breakpoint
ALTER TABLE "payments"."payments" ALTER COLUMN "project_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "payments"."refunds" ALTER COLUMN "project_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "payments"."customers" ALTER COLUMN "project_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "payments"."payment_methods" ALTER COLUMN "project_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "payments"."qr_codes" ALTER COLUMN "project_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "payments"."payment_links" ALTER COLUMN "project_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "payments"."disputes" ALTER COLUMN "project_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "payments"."payouts" ALTER COLUMN "project_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "payments"."balance_transactions" ALTER COLUMN "project_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "payments"."balance_settings" ALTER COLUMN "project_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "payments"."test_clocks" ALTER COLUMN "project_id" SET NOT NULL;
--> statement-breakpoint
-- A key's Idempotency-Keys were its merchant's (`merchant:<id>:<mode>`); they become its first
-- project's, so a request retried across the upgrade is still replayed, not run twice.
DELETE FROM "payments"."idempotency_keys"
WHERE "scope" LIKE 'merchant:%'
  AND "payments"."migration_0006_project_of"(split_part("scope", ':', 2)) IS NULL;
--> statement-breakpoint
UPDATE "payments"."idempotency_keys"
SET "scope" = 'project:' || "payments"."migration_0006_project_of"(split_part("scope", ':', 2))
  || ':' || split_part("scope", ':', 3)
WHERE "scope" LIKE 'merchant:%';
--> statement-breakpoint
DROP FUNCTION "payments"."migration_0006_project_of"(text);
--> statement-breakpoint
DROP TABLE "payments"."migration_0006_first_projects";
--> statement-breakpoint
-- One test clock and one fee setting per project.
ALTER TABLE "payments"."test_clocks" DROP CONSTRAINT "test_clocks_pkey";
--> statement-breakpoint
ALTER TABLE "payments"."test_clocks" ADD CONSTRAINT "test_clocks_pkey" PRIMARY KEY ("project_id");
--> statement-breakpoint
ALTER TABLE "payments"."balance_settings" DROP CONSTRAINT "balance_settings_pkey";
--> statement-breakpoint
ALTER TABLE "payments"."balance_settings" ADD CONSTRAINT "balance_settings_pkey" PRIMARY KEY ("project_id");
--> statement-breakpoint
DROP INDEX IF EXISTS "payments"."payments_merchant_mode_id_idx";
--> statement-breakpoint
CREATE INDEX "payments_project_mode_id_idx" ON "payments"."payments" ("project_id", "mode", "id");
--> statement-breakpoint
DROP INDEX IF EXISTS "payments"."refunds_merchant_mode_id_idx";
--> statement-breakpoint
CREATE INDEX "refunds_project_mode_id_idx" ON "payments"."refunds" ("project_id", "mode", "id");
--> statement-breakpoint
DROP INDEX IF EXISTS "payments"."customers_merchant_mode_id_idx";
--> statement-breakpoint
CREATE INDEX "customers_project_mode_id_idx" ON "payments"."customers" ("project_id", "mode", "id") WHERE "deleted_at" IS NULL;
--> statement-breakpoint
DROP INDEX IF EXISTS "payments"."qr_codes_merchant_mode_id_idx";
--> statement-breakpoint
CREATE INDEX "qr_codes_project_mode_id_idx" ON "payments"."qr_codes" ("project_id", "mode", "id");
--> statement-breakpoint
DROP INDEX IF EXISTS "payments"."payment_links_merchant_mode_id_idx";
--> statement-breakpoint
CREATE INDEX "payment_links_project_mode_id_idx" ON "payments"."payment_links" ("project_id", "mode", "id");
--> statement-breakpoint
DROP INDEX IF EXISTS "payments"."disputes_merchant_mode_id_idx";
--> statement-breakpoint
CREATE INDEX "disputes_project_mode_id_idx" ON "payments"."disputes" ("project_id", "mode", "id");
--> statement-breakpoint
DROP INDEX IF EXISTS "payments"."payouts_merchant_mode_id_idx";
--> statement-breakpoint
CREATE INDEX "payouts_project_mode_id_idx" ON "payments"."payouts" ("project_id", "mode", "id");
--> statement-breakpoint
DROP INDEX IF EXISTS "payments"."balance_transactions_merchant_mode_id_idx";
--> statement-breakpoint
CREATE INDEX "balance_transactions_project_mode_id_idx" ON "payments"."balance_transactions" ("project_id", "mode", "id");
--> statement-breakpoint
DROP INDEX IF EXISTS "payments"."events_merchant_livemode_id_idx";
--> statement-breakpoint
CREATE INDEX "events_project_livemode_id_idx" ON "payments"."events" ("project_id", "livemode", "id");
--> statement-breakpoint
CREATE INDEX "payment_methods_project_mode_id_idx" ON "payments"."payment_methods" ("project_id", "mode", "id");
