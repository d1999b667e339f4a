CREATE TABLE "policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"doc_no" text DEFAULT '' NOT NULL,
	"issuer_org_id" uuid NOT NULL,
	"issuer_name" text NOT NULL,
	"level" text NOT NULL,
	"region_code" text NOT NULL,
	"published_on" date,
	"effective_from" date,
	"expires_on" date,
	"apply_from" date,
	"apply_to" date,
	"summary" text DEFAULT '' NOT NULL,
	"body_html" text DEFAULT '' NOT NULL,
	"body_text" text DEFAULT '' NOT NULL,
	"attachments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"channel" text NOT NULL,
	"budget_cap_yuan" numeric(16, 2),
	"publicity_days" smallint DEFAULT 5 NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"status_reason" text,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"search_vector" "tsvector",
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy_clauses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"policy_id" uuid NOT NULL,
	"ordinal" smallint NOT NULL,
	"title" text NOT NULL,
	"benefit_type" text NOT NULL,
	"eligibility" jsonb NOT NULL,
	"amount_formula" text,
	"cap_yuan" numeric(16, 2),
	"floor_yuan" numeric(16, 2),
	"once_per_enterprise" boolean DEFAULT true NOT NULL,
	"stacking_group" text,
	"data_sources" text[] DEFAULT '{}'::text[] NOT NULL,
	"needs_consent" boolean DEFAULT false NOT NULL,
	"facts_year" text DEFAULT 'previous' NOT NULL,
	"examples" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "policies" ADD CONSTRAINT "policies_issuer_org_id_orgs_id_fk" FOREIGN KEY ("issuer_org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policies" ADD CONSTRAINT "policies_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policies" ADD CONSTRAINT "policies_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policies" ADD CONSTRAINT "policies_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policies" ADD CONSTRAINT "policies_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_clauses" ADD CONSTRAINT "policy_clauses_policy_id_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."policies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "policies_code_uq" ON "policies" USING btree ("code");--> statement-breakpoint
CREATE INDEX "policies_region_idx" ON "policies" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "policies_issuer_idx" ON "policies" USING btree ("issuer_org_id");--> statement-breakpoint
CREATE INDEX "policies_status_idx" ON "policies" USING btree ("status");--> statement-breakpoint
CREATE INDEX "policies_doc_no_idx" ON "policies" USING btree ("doc_no");--> statement-breakpoint
CREATE INDEX "policies_search_idx" ON "policies" USING gin ("search_vector");--> statement-breakpoint
CREATE UNIQUE INDEX "policy_clauses_ordinal_uq" ON "policy_clauses" USING btree ("policy_id","ordinal");