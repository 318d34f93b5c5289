CREATE TABLE "rate_limit_windows" (
	"bucket" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rate_limit_windows_bucket_window_start_pk" PRIMARY KEY("bucket","window_start")
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "api_rate_limit" integer DEFAULT 100 NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "bulk_rate_limit" integer DEFAULT 5 NOT NULL;