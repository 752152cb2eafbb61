-- Custom SQL migration (issue 13): each project is pinned to an API version (Expe-Version). Projects
-- that existed before versions get the first one; new projects are pinned to the latest by the
-- application, and by this default for any other insert.
ALTER TABLE "merchants"."projects" ADD COLUMN "api_version" text DEFAULT '2026-09-01' NOT NULL;
--> statement-breakpoint
ALTER TABLE "merchants"."projects" ALTER COLUMN "api_version" SET DEFAULT '2026-11-28';
--> statement-breakpoint
ALTER TABLE "merchants"."projects" ADD CONSTRAINT "projects_api_version"
  CHECK ("api_version" ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$');
