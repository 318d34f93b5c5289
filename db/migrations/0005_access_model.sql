CREATE TYPE "public"."group_membership_type" AS ENUM('Assigned', 'Mapped');--> statement-breakpoint
CREATE TABLE "app_stages" (
	"app_key" uuid NOT NULL,
	"stage_key" uuid NOT NULL,
	CONSTRAINT "app_stages_app_key_stage_key_pk" PRIMARY KEY("app_key","stage_key")
);
--> statement-breakpoint
CREATE TABLE "app_role_instances" (
	"key" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"app_role_key" uuid NOT NULL,
	"app_key" uuid NOT NULL,
	"stage_key" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "app_roles" (
	"key" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"app_key" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"is_public" boolean DEFAULT false NOT NULL,
	"claim_name" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "end_user_role_assignments" (
	"user_key" uuid NOT NULL,
	"instance_key" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "end_user_role_assignments_user_key_instance_key_pk" PRIMARY KEY("user_key","instance_key")
);
--> statement-breakpoint
CREATE TABLE "group_members" (
	"group_key" uuid NOT NULL,
	"user_key" uuid NOT NULL,
	"type" "group_membership_type" DEFAULT 'Assigned' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "group_members_group_key_user_key_type_pk" PRIMARY KEY("group_key","user_key","type")
);
--> statement-breakpoint
CREATE TABLE "group_roles" (
	"group_key" uuid NOT NULL,
	"instance_key" uuid NOT NULL,
	CONSTRAINT "group_roles_group_key_instance_key_pk" PRIMARY KEY("group_key","instance_key")
);
--> statement-breakpoint
CREATE TABLE "groups" (
	"key" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"stage_key" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "apps" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "app_stages" ADD CONSTRAINT "app_stages_app_key_apps_key_fk" FOREIGN KEY ("app_key") REFERENCES "public"."apps"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "app_stages" ADD CONSTRAINT "app_stages_stage_key_stages_key_fk" FOREIGN KEY ("stage_key") REFERENCES "public"."stages"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "app_role_instances" ADD CONSTRAINT "app_role_instances_app_role_key_app_roles_key_fk" FOREIGN KEY ("app_role_key") REFERENCES "public"."app_roles"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "app_role_instances" ADD CONSTRAINT "app_role_instances_app_key_apps_key_fk" FOREIGN KEY ("app_key") REFERENCES "public"."apps"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "app_role_instances" ADD CONSTRAINT "app_role_instances_stage_key_stages_key_fk" FOREIGN KEY ("stage_key") REFERENCES "public"."stages"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "app_roles" ADD CONSTRAINT "app_roles_app_key_apps_key_fk" FOREIGN KEY ("app_key") REFERENCES "public"."apps"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "end_user_role_assignments" ADD CONSTRAINT "end_user_role_assignments_user_key_users_key_fk" FOREIGN KEY ("user_key") REFERENCES "public"."users"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "end_user_role_assignments" ADD CONSTRAINT "end_user_role_assignments_instance_key_app_role_instances_key_fk" FOREIGN KEY ("instance_key") REFERENCES "public"."app_role_instances"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_group_key_groups_key_fk" FOREIGN KEY ("group_key") REFERENCES "public"."groups"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_user_key_users_key_fk" FOREIGN KEY ("user_key") REFERENCES "public"."users"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_roles" ADD CONSTRAINT "group_roles_group_key_groups_key_fk" FOREIGN KEY ("group_key") REFERENCES "public"."groups"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_roles" ADD CONSTRAINT "group_roles_instance_key_app_role_instances_key_fk" FOREIGN KEY ("instance_key") REFERENCES "public"."app_role_instances"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "groups" ADD CONSTRAINT "groups_stage_key_stages_key_fk" FOREIGN KEY ("stage_key") REFERENCES "public"."stages"("key") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "app_stages_stage_idx" ON "app_stages" USING btree ("stage_key");--> statement-breakpoint
CREATE UNIQUE INDEX "app_role_instances_role_stage_unique" ON "app_role_instances" USING btree ("app_role_key","stage_key");--> statement-breakpoint
CREATE INDEX "app_role_instances_app_stage_idx" ON "app_role_instances" USING btree ("app_key","stage_key");--> statement-breakpoint
CREATE INDEX "app_role_instances_stage_idx" ON "app_role_instances" USING btree ("stage_key");--> statement-breakpoint
CREATE UNIQUE INDEX "app_roles_name_unique" ON "app_roles" USING btree ("app_key",lower("name"));--> statement-breakpoint
CREATE INDEX "end_user_role_assignments_instance_idx" ON "end_user_role_assignments" USING btree ("instance_key","user_key");--> statement-breakpoint
CREATE INDEX "group_members_user_idx" ON "group_members" USING btree ("user_key","group_key");--> statement-breakpoint
CREATE INDEX "group_roles_instance_idx" ON "group_roles" USING btree ("instance_key","group_key");--> statement-breakpoint
CREATE UNIQUE INDEX "groups_stage_name_unique" ON "groups" USING btree ("stage_key",lower("name"));--> statement-breakpoint
CREATE INDEX "groups_name_idx" ON "groups" USING btree (lower("name"),"key");