CREATE SCHEMA "merchants";
--> statement-breakpoint
CREATE TABLE "merchants"."api_key_secrets" (
	"id" text PRIMARY KEY NOT NULL,
	"api_key_id" text NOT NULL,
	"secret_hash" text NOT NULL,
	"secret_last4" text NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_key_secrets_secret_hash_unique" UNIQUE("secret_hash"),
	CONSTRAINT "api_key_secrets_hash_format" CHECK ("merchants"."api_key_secrets"."secret_hash" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "api_key_secrets_last4_length" CHECK (char_length("merchants"."api_key_secrets"."secret_last4") = 4)
);
--> statement-breakpoint
CREATE TABLE "merchants"."api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"project_id" text NOT NULL,
	"name" text NOT NULL,
	"mode" text NOT NULL,
	"publishable_key" text NOT NULL,
	"publishable_hash" text NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_keys_publishable_key_unique" UNIQUE("publishable_key"),
	CONSTRAINT "api_keys_publishable_hash_unique" UNIQUE("publishable_hash"),
	CONSTRAINT "api_keys_mode" CHECK ("merchants"."api_keys"."mode" in ('test', 'live')),
	CONSTRAINT "api_keys_name_length" CHECK (char_length("merchants"."api_keys"."name") between 1 and 100),
	CONSTRAINT "api_keys_publishable_format" CHECK ("merchants"."api_keys"."publishable_key" like 'pk_' || "merchants"."api_keys"."mode" || '_%'),
	CONSTRAINT "api_keys_publishable_hash_format" CHECK ("merchants"."api_keys"."publishable_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "merchants"."merchants" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_user_id" text,
	"external_ref" text,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "merchants_owner_user_id_unique" UNIQUE("owner_user_id"),
	CONSTRAINT "merchants_external_ref_unique" UNIQUE("external_ref"),
	CONSTRAINT "merchants_one_owner" CHECK (num_nonnulls("merchants"."merchants"."owner_user_id", "merchants"."merchants"."external_ref") = 1),
	CONSTRAINT "merchants_name_length" CHECK (char_length("merchants"."merchants"."name") between 1 and 100),
	CONSTRAINT "merchants_email_present" CHECK (char_length("merchants"."merchants"."email") between 3 and 254)
);
--> statement-breakpoint
CREATE TABLE "merchants"."projects" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "projects_name_length" CHECK (char_length("merchants"."projects"."name") between 1 and 100)
);
--> statement-breakpoint
ALTER TABLE "merchants"."api_key_secrets" ADD CONSTRAINT "api_key_secrets_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "merchants"."api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merchants"."api_keys" ADD CONSTRAINT "api_keys_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "merchants"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merchants"."api_keys" ADD CONSTRAINT "api_keys_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "merchants"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merchants"."projects" ADD CONSTRAINT "projects_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "merchants"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_key_secrets_api_key_id_idx" ON "merchants"."api_key_secrets" USING btree ("api_key_id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_key_secrets_one_current_idx" ON "merchants"."api_key_secrets" USING btree ("api_key_id") WHERE expires_at is null;--> statement-breakpoint
CREATE INDEX "api_keys_project_id_id_idx" ON "merchants"."api_keys" USING btree ("project_id","id");--> statement-breakpoint
CREATE INDEX "projects_merchant_id_id_idx" ON "merchants"."projects" USING btree ("merchant_id","id");