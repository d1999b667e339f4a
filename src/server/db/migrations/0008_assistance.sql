CREATE SEQUENCE "public"."assistance_problem_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "assistance_cadres" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid,
	"name" text NOT NULL,
	"org" text DEFAULT '' NOT NULL,
	"region_code" text NOT NULL,
	"work_group_id" uuid,
	"phone_enc" text,
	"phone_masked" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assistance_common_issues" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"region_code" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assistance_no_visit_reasons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cadre_id" uuid NOT NULL,
	"from_on" date NOT NULL,
	"to_on" date NOT NULL,
	"reason" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assistance_pairings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cadre_id" uuid NOT NULL,
	"enterprise_id" uuid,
	"firm_name" text NOT NULL,
	"firm_uscc" text DEFAULT '' NOT NULL,
	"region_code" text NOT NULL,
	"from_on" date NOT NULL,
	"to_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assistance_preferences" (
	"enterprise_id" uuid PRIMARY KEY NOT NULL,
	"prefer_online" boolean DEFAULT false NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assistance_problem_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"problem_id" uuid NOT NULL,
	"action" text NOT NULL,
	"actor_id" uuid,
	"actor_name" text DEFAULT '' NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"visible_to_firm" boolean DEFAULT true NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assistance_problems" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"enterprise_id" uuid,
	"enterprise_name" text NOT NULL,
	"region_code" text NOT NULL,
	"source" text NOT NULL,
	"category" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"priority" text DEFAULT 'normal' NOT NULL,
	"complexity" text DEFAULT 'ordinary' NOT NULL,
	"attachment_file_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'collected' NOT NULL,
	"org_id" uuid,
	"handler_user_id" uuid,
	"handler_name" text,
	"submitted_by" uuid,
	"received_at" timestamp with time zone NOT NULL,
	"received_on" date NOT NULL,
	"assign_by" date NOT NULL,
	"first_feedback_by" date NOT NULL,
	"due_on" date NOT NULL,
	"assigned_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"first_feedback_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"answer" text,
	"closure_code" text,
	"rating" text,
	"rating_comment" text,
	"rated_at" timestamp with time zone,
	"confirmed_by_firm" boolean DEFAULT false NOT NULL,
	"closed_at" timestamp with time zone,
	"stopped_at" timestamp with time zone,
	"stop_reason" text,
	"stop_note" text,
	"extension_status" text DEFAULT 'none' NOT NULL,
	"extension_days" integer,
	"extension_reason" text,
	"escalation_level" integer DEFAULT 0 NOT NULL,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"common_issue_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assistance_visits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"visited_on" date NOT NULL,
	"region_code" text NOT NULL,
	"org_id" uuid,
	"org_name" text DEFAULT '' NOT NULL,
	"cadre_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"enterprise_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"firm_count" integer DEFAULT 1 NOT NULL,
	"participants" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"photo_file_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"location" jsonb,
	"follow_ups" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assistance_work_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"region_code" text NOT NULL,
	"name" text NOT NULL,
	"org_id" uuid,
	"leader_name" text DEFAULT '' NOT NULL,
	"leader_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assistance_cadres" ADD CONSTRAINT "assistance_cadres_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_cadres" ADD CONSTRAINT "assistance_cadres_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_cadres" ADD CONSTRAINT "assistance_cadres_work_group_id_assistance_work_groups_id_fk" FOREIGN KEY ("work_group_id") REFERENCES "public"."assistance_work_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_common_issues" ADD CONSTRAINT "assistance_common_issues_owner_org_id_orgs_id_fk" FOREIGN KEY ("owner_org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_common_issues" ADD CONSTRAINT "assistance_common_issues_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_no_visit_reasons" ADD CONSTRAINT "assistance_no_visit_reasons_cadre_id_assistance_cadres_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."assistance_cadres"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_pairings" ADD CONSTRAINT "assistance_pairings_cadre_id_assistance_cadres_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."assistance_cadres"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_pairings" ADD CONSTRAINT "assistance_pairings_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_pairings" ADD CONSTRAINT "assistance_pairings_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_preferences" ADD CONSTRAINT "assistance_preferences_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_problem_events" ADD CONSTRAINT "assistance_problem_events_problem_id_assistance_problems_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."assistance_problems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_problems" ADD CONSTRAINT "assistance_problems_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_problems" ADD CONSTRAINT "assistance_problems_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_problems" ADD CONSTRAINT "assistance_problems_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_problems" ADD CONSTRAINT "assistance_problems_handler_user_id_users_id_fk" FOREIGN KEY ("handler_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_problems" ADD CONSTRAINT "assistance_problems_common_issue_id_assistance_common_issues_id_fk" FOREIGN KEY ("common_issue_id") REFERENCES "public"."assistance_common_issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_visits" ADD CONSTRAINT "assistance_visits_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_visits" ADD CONSTRAINT "assistance_visits_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_work_groups" ADD CONSTRAINT "assistance_work_groups_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_work_groups" ADD CONSTRAINT "assistance_work_groups_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistance_work_groups" ADD CONSTRAINT "assistance_work_groups_leader_user_id_users_id_fk" FOREIGN KEY ("leader_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assistance_cadres_region_idx" ON "assistance_cadres" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "assistance_cadres_group_idx" ON "assistance_cadres" USING btree ("work_group_id");--> statement-breakpoint
CREATE INDEX "assistance_cadres_user_idx" ON "assistance_cadres" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "assistance_common_region_idx" ON "assistance_common_issues" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "assistance_no_visit_cadre_idx" ON "assistance_no_visit_reasons" USING btree ("cadre_id");--> statement-breakpoint
CREATE INDEX "assistance_pairings_cadre_idx" ON "assistance_pairings" USING btree ("cadre_id");--> statement-breakpoint
CREATE INDEX "assistance_pairings_ent_idx" ON "assistance_pairings" USING btree ("enterprise_id");--> statement-breakpoint
CREATE INDEX "assistance_pairings_region_idx" ON "assistance_pairings" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "assistance_events_problem_idx" ON "assistance_problem_events" USING btree ("problem_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "assistance_problems_code_uq" ON "assistance_problems" USING btree ("code");--> statement-breakpoint
CREATE INDEX "assistance_problems_region_recv_idx" ON "assistance_problems" USING btree ("region_code","received_at");--> statement-breakpoint
CREATE INDEX "assistance_problems_ent_idx" ON "assistance_problems" USING btree ("enterprise_id");--> statement-breakpoint
CREATE INDEX "assistance_problems_org_idx" ON "assistance_problems" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "assistance_problems_status_idx" ON "assistance_problems" USING btree ("status");--> statement-breakpoint
CREATE INDEX "assistance_problems_common_idx" ON "assistance_problems" USING btree ("common_issue_id");--> statement-breakpoint
CREATE INDEX "assistance_visits_region_day_idx" ON "assistance_visits" USING btree ("region_code","visited_on");--> statement-breakpoint
CREATE INDEX "assistance_visits_ent_idx" ON "assistance_visits" USING gin ("enterprise_ids");--> statement-breakpoint
CREATE INDEX "assistance_groups_region_idx" ON "assistance_work_groups" USING btree ("region_code");