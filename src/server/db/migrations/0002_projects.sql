CREATE TABLE "project_annual_plans" (
	"project_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"planned_wan" numeric(16, 2) NOT NULL,
	CONSTRAINT "project_annual_plans_project_id_year_pk" PRIMARY KEY("project_id","year")
);
--> statement-breakpoint
CREATE TABLE "project_batch_entries" (
	"project_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"batch_id" uuid NOT NULL,
	CONSTRAINT "project_batch_entries_project_id_kind_pk" PRIMARY KEY("project_id","kind")
);
--> statement-breakpoint
CREATE TABLE "project_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" integer NOT NULL,
	"level" text DEFAULT 'province' NOT NULL,
	"held_on" date NOT NULL,
	"title" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "project_monthly_investments" (
	"project_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"month" smallint NOT NULL,
	"amount_wan" numeric(16, 2) NOT NULL,
	"source" text DEFAULT 'reported' NOT NULL,
	"entered_by" uuid,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "project_monthly_investments_project_id_year_month_pk" PRIMARY KEY("project_id","year","month")
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"owner_name" text NOT NULL,
	"owner_org_id" uuid,
	"region_code" text NOT NULL,
	"industry_class" text NOT NULL,
	"industry_code" text,
	"total_investment_wan" numeric(16, 2) NOT NULL,
	"responsible_org_id" uuid,
	"responsible_unit" text NOT NULL,
	"responsible_person" text DEFAULT '' NOT NULL,
	"stage" text DEFAULT 'signed' NOT NULL,
	"signed_on" date,
	"planned_performance_on" date,
	"performed_on" date,
	"planned_start_on" date,
	"started_on" date,
	"planned_production_on" date,
	"production_on" date,
	"planned_effective_on" date,
	"effective_on" date,
	"performance_evidence" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"notified_warning" text DEFAULT 'none' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "project_annual_plans" ADD CONSTRAINT "project_annual_plans_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_batch_entries" ADD CONSTRAINT "project_batch_entries_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_batch_entries" ADD CONSTRAINT "project_batch_entries_batch_id_project_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."project_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_monthly_investments" ADD CONSTRAINT "project_monthly_investments_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_owner_org_id_orgs_id_fk" FOREIGN KEY ("owner_org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_responsible_org_id_orgs_id_fk" FOREIGN KEY ("responsible_org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "project_batch_entries_batch_idx" ON "project_batch_entries" USING btree ("batch_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "project_batches_number_level_uq" ON "project_batches" USING btree ("number","level");--> statement-breakpoint
CREATE UNIQUE INDEX "projects_code_uq" ON "projects" USING btree ("code");--> statement-breakpoint
CREATE INDEX "projects_region_idx" ON "projects" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "projects_name_trgm_idx" ON "projects" USING gin ("name" gin_trgm_ops);