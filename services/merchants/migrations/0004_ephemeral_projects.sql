-- Custom SQL migration (issue 27): a project may be a sandbox with a time to live. Past
-- expires_at its keys stop answering; payments archives its test data (as a reset does) and
-- then marks it archived, which also deletes it.
ALTER TABLE "merchants"."projects" ADD COLUMN "expires_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "merchants"."projects" ADD COLUMN "archived_at" timestamp with time zone;
--> statement-breakpoint
CREATE INDEX "projects_expires_at_unarchived_idx" ON "merchants"."projects" ("expires_at")
  WHERE "expires_at" IS NOT NULL AND "archived_at" IS NULL;
