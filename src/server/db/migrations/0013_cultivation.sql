CREATE TABLE "cultivation_assessments" (
	"enterprise_id" uuid NOT NULL,
	"tier" text NOT NULL,
	"region_code" text NOT NULL,
	"year" integer NOT NULL,
	"eligible" boolean,
	"route" text,
	"score" real,
	"missing" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"shortfalls" jsonb,
	"gap" real,
	"self_reported" boolean DEFAULT false NOT NULL,
	"sources" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"result" jsonb NOT NULL,
	"assessed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cultivation_assessments_enterprise_id_tier_pk" PRIMARY KEY("enterprise_id","tier")
);
--> statement-breakpoint
CREATE TABLE "cultivation_certifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"region_code" text NOT NULL,
	"tier" text NOT NULL,
	"level" text NOT NULL,
	"batch_no" text DEFAULT '' NOT NULL,
	"authority" text DEFAULT '' NOT NULL,
	"recognised_on" date NOT NULL,
	"valid_until" date NOT NULL,
	"review_due_on" date NOT NULL,
	"revoked_on" date,
	"revoke_reason" text,
	"qualification_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cultivation_pool" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"region_code" text NOT NULL,
	"target_tier" text NOT NULL,
	"mentor_user_id" uuid,
	"source" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"plan" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"notes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cultivation_targets" (
	"region_code" text NOT NULL,
	"year" integer NOT NULL,
	"metric" text NOT NULL,
	"target" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cultivation_targets_region_code_year_metric_pk" PRIMARY KEY("region_code","year","metric")
);
--> statement-breakpoint
ALTER TABLE "cultivation_assessments" ADD CONSTRAINT "cultivation_assessments_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cultivation_certifications" ADD CONSTRAINT "cultivation_certifications_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cultivation_certifications" ADD CONSTRAINT "cultivation_certifications_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cultivation_certifications" ADD CONSTRAINT "cultivation_certifications_qualification_id_enterprise_qualifications_id_fk" FOREIGN KEY ("qualification_id") REFERENCES "public"."enterprise_qualifications"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cultivation_pool" ADD CONSTRAINT "cultivation_pool_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cultivation_pool" ADD CONSTRAINT "cultivation_pool_mentor_user_id_users_id_fk" FOREIGN KEY ("mentor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cultivation_targets" ADD CONSTRAINT "cultivation_targets_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cultivation_assess_region_idx" ON "cultivation_assessments" USING btree ("region_code","tier");--> statement-breakpoint
CREATE INDEX "cultivation_cert_region_idx" ON "cultivation_certifications" USING btree ("region_code","tier","level");--> statement-breakpoint
CREATE INDEX "cultivation_cert_ent_idx" ON "cultivation_certifications" USING btree ("enterprise_id");--> statement-breakpoint
CREATE INDEX "cultivation_pool_region_idx" ON "cultivation_pool" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "cultivation_pool_ent_idx" ON "cultivation_pool" USING btree ("enterprise_id");
