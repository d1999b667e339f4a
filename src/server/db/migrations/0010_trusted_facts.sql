CREATE TABLE "enterprise_data_issues" (
	"enterprise_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"region_code" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "enterprise_data_issues_enterprise_id_year_key_kind_pk" PRIMARY KEY("enterprise_id","year","key","kind")
);
--> statement-breakpoint
CREATE TABLE "enterprise_indicator_values" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"key" text NOT NULL,
	"source" text NOT NULL,
	"value" numeric(20, 4) NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"current" boolean DEFAULT true NOT NULL,
	"entered_by" uuid,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"evidence_file_id" uuid,
	"review_status" text,
	"review_flag" text,
	"official_value" numeric(20, 4),
	"official_source" text,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"review_note" text
);
--> statement-breakpoint
ALTER TABLE "policy_clauses" ADD COLUMN "min_source" text;--> statement-breakpoint
ALTER TABLE "enterprise_data_issues" ADD CONSTRAINT "enterprise_data_issues_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_indicator_values" ADD CONSTRAINT "enterprise_indicator_values_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_indicator_values" ADD CONSTRAINT "enterprise_indicator_values_evidence_file_id_files_id_fk" FOREIGN KEY ("evidence_file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "enterprise_data_issues_region_idx" ON "enterprise_data_issues" USING btree ("region_code","kind");--> statement-breakpoint
CREATE INDEX "enterprise_indicator_values_ent_idx" ON "enterprise_indicator_values" USING btree ("enterprise_id","year","key");--> statement-breakpoint
CREATE INDEX "enterprise_indicator_values_review_idx" ON "enterprise_indicator_values" USING btree ("review_status","entered_at") WHERE "enterprise_indicator_values"."review_status" is not null and "enterprise_indicator_values"."current";--> statement-breakpoint
-- Existing figures become the first version of their source (decision 0018); self-reports start unreviewed.
INSERT INTO "enterprise_indicator_values" ("enterprise_id", "year", "key", "source", "value", "entered_by", "entered_at")
SELECT "enterprise_id", "year", "key", "source", "value", "entered_by", "entered_at" FROM "enterprise_indicators";
