CREATE SCHEMA "webhooks";
--> statement-breakpoint
CREATE TABLE "webhooks"."deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"endpoint_id" text NOT NULL,
	"event_id" text NOT NULL,
	"job_id" text NOT NULL,
	"manual" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "deliveries_status" CHECK ("webhooks"."deliveries"."status" in ('pending', 'succeeded', 'failed', 'canceled')),
	CONSTRAINT "deliveries_attempts" CHECK ("webhooks"."deliveries"."attempts" >= 0),
	CONSTRAINT "deliveries_pending_has_next_attempt" CHECK (("webhooks"."deliveries"."status" = 'pending') = ("webhooks"."deliveries"."next_attempt_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "webhooks"."delivery_attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"delivery_id" text NOT NULL,
	"endpoint_id" text NOT NULL,
	"event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"mode" text NOT NULL,
	"attempt" integer NOT NULL,
	"url" text NOT NULL,
	"outcome" text NOT NULL,
	"status_code" integer,
	"latency_ms" integer,
	"response_excerpt" text,
	"error" text,
	"next_retry_at" timestamp with time zone,
	"trace_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "delivery_attempts_attempt" CHECK ("webhooks"."delivery_attempts"."attempt" >= 1),
	CONSTRAINT "delivery_attempts_outcome" CHECK ("webhooks"."delivery_attempts"."outcome" in ('succeeded', 'failed_attempt', 'failed')),
	CONSTRAINT "delivery_attempts_excerpt_length" CHECK (octet_length("webhooks"."delivery_attempts"."response_excerpt") <= 1024)
);
--> statement-breakpoint
CREATE TABLE "webhooks"."endpoint_secrets" (
	"id" text PRIMARY KEY NOT NULL,
	"endpoint_id" text NOT NULL,
	"ciphertext" text NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhooks"."endpoints" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"mode" text NOT NULL,
	"url" text NOT NULL,
	"enabled_events" text[] NOT NULL,
	"description" text,
	"status" text DEFAULT 'enabled' NOT NULL,
	"disabled_reason" text,
	"failing_since" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "endpoints_mode" CHECK ("webhooks"."endpoints"."mode" in ('test', 'live')),
	CONSTRAINT "endpoints_status" CHECK ("webhooks"."endpoints"."status" in ('enabled', 'disabled')),
	CONSTRAINT "endpoints_disabled_reason" CHECK (("webhooks"."endpoints"."status" = 'disabled') = ("webhooks"."endpoints"."disabled_reason" is not null)),
	CONSTRAINT "endpoints_url_length" CHECK (char_length("webhooks"."endpoints"."url") between 1 and 2048),
	CONSTRAINT "endpoints_enabled_events_present" CHECK (cardinality("webhooks"."endpoints"."enabled_events") > 0)
);
--> statement-breakpoint
CREATE TABLE "webhooks"."events" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"mode" text NOT NULL,
	"type" text NOT NULL,
	"payload" text NOT NULL,
	"traceparent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "events_mode" CHECK ("webhooks"."events"."mode" in ('test', 'live'))
);
--> statement-breakpoint
ALTER TABLE "webhooks"."deliveries" ADD CONSTRAINT "deliveries_endpoint_id_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "webhooks"."endpoints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks"."deliveries" ADD CONSTRAINT "deliveries_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "webhooks"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks"."delivery_attempts" ADD CONSTRAINT "delivery_attempts_delivery_id_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "webhooks"."deliveries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks"."delivery_attempts" ADD CONSTRAINT "delivery_attempts_endpoint_id_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "webhooks"."endpoints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks"."endpoint_secrets" ADD CONSTRAINT "endpoint_secrets_endpoint_id_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "webhooks"."endpoints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_job_id_unique" ON "webhooks"."deliveries" USING btree ("job_id");--> statement-breakpoint
CREATE INDEX "deliveries_event_id_idx" ON "webhooks"."deliveries" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "deliveries_endpoint_id_idx" ON "webhooks"."deliveries" USING btree ("endpoint_id");--> statement-breakpoint
CREATE INDEX "deliveries_pending_next_attempt_idx" ON "webhooks"."deliveries" USING btree ("next_attempt_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "delivery_attempts_endpoint_id_id_idx" ON "webhooks"."delivery_attempts" USING btree ("endpoint_id","id");--> statement-breakpoint
CREATE INDEX "delivery_attempts_endpoint_event_id_idx" ON "webhooks"."delivery_attempts" USING btree ("endpoint_id","event_id","id");--> statement-breakpoint
CREATE INDEX "delivery_attempts_delivery_id_idx" ON "webhooks"."delivery_attempts" USING btree ("delivery_id");--> statement-breakpoint
CREATE INDEX "endpoint_secrets_endpoint_id_idx" ON "webhooks"."endpoint_secrets" USING btree ("endpoint_id");--> statement-breakpoint
CREATE UNIQUE INDEX "endpoint_secrets_one_current_idx" ON "webhooks"."endpoint_secrets" USING btree ("endpoint_id") WHERE expires_at is null;--> statement-breakpoint
CREATE INDEX "endpoints_merchant_mode_id_idx" ON "webhooks"."endpoints" USING btree ("merchant_id","mode","id");--> statement-breakpoint
CREATE INDEX "events_merchant_mode_id_idx" ON "webhooks"."events" USING btree ("merchant_id","mode","id");