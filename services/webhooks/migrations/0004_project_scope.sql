-- A project is a sandbox (issue 19): endpoints, the events they receive and the outbox are
-- scoped by project and mode, no longer by merchant and mode. Deliveries and attempts belong to
-- an endpoint and are reached through it. The merchant stays on every row as the owner.
ALTER TABLE "webhooks"."endpoints" ADD COLUMN "project_id" text;
--> statement-breakpoint
ALTER TABLE "webhooks"."events" ADD COLUMN "project_id" text;
--> statement-breakpoint
ALTER TABLE "webhooks"."outbox" ADD COLUMN "project_id" text;
--> statement-breakpoint
-- Rows made before projects isolated data go to the merchant's first project: its oldest
-- project by (created_at, id) that is not deleted, or its oldest one if all are deleted.
-- merchants.projects is another service's table in the same database; on a fresh install whose
-- merchants migrations have not run yet it is missing, and there are no rows to assign.
DO $$
BEGIN
	IF to_regclass('merchants.projects') IS NOT NULL THEN
		CREATE TEMPORARY TABLE "first_projects" ON COMMIT DROP AS
			SELECT DISTINCT ON ("merchant_id") "merchant_id", "id" AS "project_id"
			FROM "merchants"."projects"
			ORDER BY "merchant_id", ("deleted_at" IS NOT NULL), "created_at", "id";
		UPDATE "webhooks"."endpoints" AS e SET "project_id" = f."project_id"
			FROM "first_projects" AS f WHERE f."merchant_id" = e."merchant_id";
		UPDATE "webhooks"."events" AS e SET "project_id" = f."project_id"
			FROM "first_projects" AS f WHERE f."merchant_id" = e."merchant_id";
		UPDATE "webhooks"."outbox" AS o SET "project_id" = f."project_id"
			FROM "first_projects" AS f WHERE f."merchant_id" = o."merchant_id";
		DROP TABLE "first_projects";
	END IF;
	IF EXISTS (SELECT 1 FROM "webhooks"."endpoints" WHERE "project_id" IS NULL)
		OR EXISTS (SELECT 1 FROM "webhooks"."events" WHERE "project_id" IS NULL)
		OR EXISTS (SELECT 1 FROM "webhooks"."outbox" WHERE "project_id" IS NULL) THEN
		RAISE EXCEPTION 'webhooks rows of a merchant without any project in merchants.projects: run the merchants migrations first, or give the merchant a project';
	END IF;
END $$;
--> statement-breakpoint
ALTER TABLE "webhooks"."endpoints" ALTER COLUMN "project_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "webhooks"."events" ALTER COLUMN "project_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "webhooks"."outbox" ALTER COLUMN "project_id" SET NOT NULL;
--> statement-breakpoint
DROP INDEX "webhooks"."endpoints_merchant_mode_id_idx";
--> statement-breakpoint
CREATE INDEX "endpoints_project_mode_id_idx" ON "webhooks"."endpoints" USING btree ("project_id","mode","id");
--> statement-breakpoint
DROP INDEX "webhooks"."events_merchant_mode_id_idx";
--> statement-breakpoint
CREATE INDEX "events_project_mode_id_idx" ON "webhooks"."events" USING btree ("project_id","mode","id");
