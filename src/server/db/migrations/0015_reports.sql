CREATE TABLE "reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"period_type" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"region_code" text NOT NULL,
	"title" text NOT NULL,
	"figures" jsonb NOT NULL,
	"pdf_sha256" text NOT NULL,
	"pdf_size" integer NOT NULL,
	"xlsx_sha256" text NOT NULL,
	"xlsx_size" integer NOT NULL,
	"job_id" uuid,
	"generated_by" uuid,
	"generated_by_username" text,
	"generated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "reports_period_region_uq" ON "reports" USING btree ("period_type","period_start","region_code");--> statement-breakpoint
CREATE INDEX "reports_region_idx" ON "reports" USING btree ("region_code","period_start");
