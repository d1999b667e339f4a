CREATE TABLE "park_buildings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"park_id" uuid NOT NULL,
	"name" text NOT NULL,
	"floors" smallint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "park_investment_plans" (
	"park_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"planned_wan" numeric(16, 2) NOT NULL,
	CONSTRAINT "park_investment_plans_park_id_year_pk" PRIMARY KEY("park_id","year")
);
--> statement-breakpoint
CREATE TABLE "park_milestones" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"park_id" uuid NOT NULL,
	"seq" smallint NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"planned_on" date,
	"actual_on" date,
	"overdue_notified" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "park_monthly_investments" (
	"park_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"month" smallint NOT NULL,
	"amount_wan" numeric(16, 2) NOT NULL,
	"source" text DEFAULT 'reported' NOT NULL,
	"entered_by" uuid,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "park_monthly_investments_park_id_year_month_pk" PRIMARY KEY("park_id","year","month")
);
--> statement-breakpoint
CREATE TABLE "park_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"park_id" uuid NOT NULL,
	"period" text NOT NULL,
	"period_start" date NOT NULL,
	"due_on" date NOT NULL,
	"submitted_on" date,
	"investment_wan" numeric(16, 2) DEFAULT 0 NOT NULL,
	"progress" text DEFAULT '' NOT NULL,
	"problems" text DEFAULT '' NOT NULL,
	"photo_file_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"submitted_by" uuid
);
--> statement-breakpoint
CREATE TABLE "park_stage_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"park_id" uuid NOT NULL,
	"stage" text NOT NULL,
	"on" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "park_units" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"park_id" uuid NOT NULL,
	"building_id" uuid NOT NULL,
	"floor" smallint NOT NULL,
	"code" text NOT NULL,
	"area_m2" numeric(12, 2) NOT NULL,
	"use" text NOT NULL,
	"leasable" boolean DEFAULT true NOT NULL,
	"leased_m2" numeric(12, 2) DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "parks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"region_code" text NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"lng" numeric(9, 6),
	"lat" numeric(9, 6),
	"category" text NOT NULL,
	"development_mode" text NOT NULL,
	"operator_org_id" uuid,
	"land_area_mu" numeric(12, 2) NOT NULL,
	"floor_area_m2" numeric(14, 2) NOT NULL,
	"planned_investment_wan" numeric(16, 2) NOT NULL,
	"industry_codes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"positioning" text DEFAULT '' NOT NULL,
	"stage" text DEFAULT 'planned' NOT NULL,
	"recognition_level" text,
	"recognition_batch" text,
	"recognized_on" date,
	"star_level" smallint,
	"star_year" smallint,
	"monitored_from" date,
	"monitored_until" date,
	"photo_file_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "region_investment_targets" (
	"region_code" text NOT NULL,
	"year" smallint NOT NULL,
	"target_wan" numeric(16, 2) NOT NULL,
	CONSTRAINT "region_investment_targets_region_code_year_pk" PRIMARY KEY("region_code","year")
);
--> statement-breakpoint
ALTER TABLE "park_buildings" ADD CONSTRAINT "park_buildings_park_id_parks_id_fk" FOREIGN KEY ("park_id") REFERENCES "public"."parks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "park_investment_plans" ADD CONSTRAINT "park_investment_plans_park_id_parks_id_fk" FOREIGN KEY ("park_id") REFERENCES "public"."parks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "park_milestones" ADD CONSTRAINT "park_milestones_park_id_parks_id_fk" FOREIGN KEY ("park_id") REFERENCES "public"."parks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "park_monthly_investments" ADD CONSTRAINT "park_monthly_investments_park_id_parks_id_fk" FOREIGN KEY ("park_id") REFERENCES "public"."parks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "park_reports" ADD CONSTRAINT "park_reports_park_id_parks_id_fk" FOREIGN KEY ("park_id") REFERENCES "public"."parks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "park_stage_history" ADD CONSTRAINT "park_stage_history_park_id_parks_id_fk" FOREIGN KEY ("park_id") REFERENCES "public"."parks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "park_units" ADD CONSTRAINT "park_units_park_id_parks_id_fk" FOREIGN KEY ("park_id") REFERENCES "public"."parks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "park_units" ADD CONSTRAINT "park_units_building_id_park_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."park_buildings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parks" ADD CONSTRAINT "parks_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parks" ADD CONSTRAINT "parks_operator_org_id_orgs_id_fk" FOREIGN KEY ("operator_org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "region_investment_targets" ADD CONSTRAINT "region_investment_targets_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "park_buildings_name_uq" ON "park_buildings" USING btree ("park_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "park_milestones_park_key_uq" ON "park_milestones" USING btree ("park_id","key");--> statement-breakpoint
CREATE INDEX "park_milestones_planned_idx" ON "park_milestones" USING btree ("planned_on");--> statement-breakpoint
CREATE UNIQUE INDEX "park_reports_period_uq" ON "park_reports" USING btree ("park_id","period","period_start");--> statement-breakpoint
CREATE INDEX "park_stage_history_park_idx" ON "park_stage_history" USING btree ("park_id");--> statement-breakpoint
CREATE UNIQUE INDEX "park_units_code_uq" ON "park_units" USING btree ("building_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "parks_code_uq" ON "parks" USING btree ("code");--> statement-breakpoint
CREATE INDEX "parks_region_idx" ON "parks" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "parks_operator_idx" ON "parks" USING btree ("operator_org_id");--> statement-breakpoint
CREATE INDEX "parks_name_trgm_idx" ON "parks" USING gin ("name" gin_trgm_ops);