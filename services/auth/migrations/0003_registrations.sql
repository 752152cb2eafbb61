-- Custom SQL migration (issue 12): the user id a merchant sign-up is registered under, pinned per
-- email before the merchants service creates the merchant keyed by that id, so a retried
-- registration gets the merchant an earlier attempt created. Kept after the user is inserted.
CREATE TABLE "auth"."registrations" (
	"email" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "registrations_email_lower_case" CHECK ("auth"."registrations"."email" = lower("auth"."registrations"."email"))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_user_id_idx" ON "auth"."registrations" USING btree ("user_id");
