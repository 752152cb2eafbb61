-- Idempotency-Key answers of the signed-in POSTs (the server kit's runIdempotent).
CREATE TABLE "auth"."idempotency_keys" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"response_status" integer NOT NULL,
	"response_body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY("scope","key"),
	CONSTRAINT "idempotency_keys_key_length" CHECK (char_length("key") between 1 and 255)
);
--> statement-breakpoint
CREATE INDEX "idempotency_keys_expires_at_idx" ON "auth"."idempotency_keys" USING btree ("expires_at");
