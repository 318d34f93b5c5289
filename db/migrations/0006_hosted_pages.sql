CREATE TYPE "public"."verification_purpose" AS ENUM('registration', 'password_reset');--> statement-breakpoint
CREATE TABLE "registration_groups" (
	"group_key" uuid PRIMARY KEY NOT NULL,
	"stage_key" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "verification_codes" (
	"key" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_key" uuid NOT NULL,
	"purpose" "verification_purpose" NOT NULL,
	"stage_key" uuid,
	"code_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_settings" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"host" text NOT NULL,
	"port" integer NOT NULL,
	"security" text NOT NULL,
	"username" text,
	"password_encrypted" text,
	"from_name" text NOT NULL,
	"from_address" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "email_settings_singleton" CHECK ("email_settings"."id"),
	CONSTRAINT "email_settings_port" CHECK ("email_settings"."port" between 1 and 65535 and "email_settings"."port" <> 25),
	CONSTRAINT "email_settings_security" CHECK ("email_settings"."security" in ('starttls', 'tls', 'none'))
);
--> statement-breakpoint
CREATE TABLE "user_count_deltas" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"delta" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "internal_domains" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "stages" ADD COLUMN "session_max_minutes" integer DEFAULT 720 NOT NULL;--> statement-breakpoint
ALTER TABLE "stages" ADD COLUMN "session_idle_minutes" integer DEFAULT 720 NOT NULL;--> statement-breakpoint
ALTER TABLE "stages" ADD COLUMN "self_registration_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "stages" ADD COLUMN "self_registration_domains" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "is_internal" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "idle_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "registration_groups" ADD CONSTRAINT "registration_groups_group_key_groups_key_fk" FOREIGN KEY ("group_key") REFERENCES "public"."groups"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_groups" ADD CONSTRAINT "registration_groups_stage_key_stages_key_fk" FOREIGN KEY ("stage_key") REFERENCES "public"."stages"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verification_codes" ADD CONSTRAINT "verification_codes_user_key_users_key_fk" FOREIGN KEY ("user_key") REFERENCES "public"."users"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verification_codes" ADD CONSTRAINT "verification_codes_stage_key_stages_key_fk" FOREIGN KEY ("stage_key") REFERENCES "public"."stages"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "registration_groups_stage_idx" ON "registration_groups" USING btree ("stage_key");--> statement-breakpoint
CREATE INDEX "verification_codes_user_idx" ON "verification_codes" USING btree ("user_key","purpose");--> statement-breakpoint
CREATE INDEX "users_end_user_class_idx" ON "users" USING btree ("is_internal",lower("name"),"key") WHERE "users"."is_end_user";--> statement-breakpoint
ALTER TABLE "stages" ADD CONSTRAINT "stages_session_max_range" CHECK ("stages"."session_max_minutes" between 60 and 64800);--> statement-breakpoint
ALTER TABLE "stages" ADD CONSTRAINT "stages_session_idle_range" CHECK ("stages"."session_idle_minutes" between 5 and 64800 and "stages"."session_idle_minutes" <= "stages"."session_max_minutes");