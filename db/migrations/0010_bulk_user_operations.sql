CREATE TYPE "public"."bulk_operation_status" AS ENUM('Pending', 'Processing', 'Finished', 'FinishedWithErrors');--> statement-breakpoint
CREATE TABLE "bulk_user_operations" (
	"key" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"status" "bulk_operation_status" DEFAULT 'Pending' NOT NULL,
	"requested_by_type" "actor_type" NOT NULL,
	"requested_by_key" uuid,
	"requested_by_label" text NOT NULL,
	"records" jsonb NOT NULL,
	"results" jsonb,
	"error_code" text,
	"error_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "bulk_user_operations_results_when_finished" CHECK (("bulk_user_operations"."results" is not null) = ("bulk_user_operations"."status" in ('Finished', 'FinishedWithErrors')))
);
