CREATE TABLE "park_plan_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"park_id" uuid NOT NULL,
	"region_code" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"proposal" jsonb NOT NULL,
	"original" jsonb NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"requested_by" uuid NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text
);
--> statement-breakpoint
ALTER TABLE "policies" ADD COLUMN "submitted_by" uuid;--> statement-breakpoint
ALTER TABLE "policies" ADD COLUMN "submitted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "policies" ADD COLUMN "approved_by" uuid;--> statement-breakpoint
ALTER TABLE "policies" ADD COLUMN "approved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "policies" ADD COLUMN "published_by" uuid;--> statement-breakpoint
ALTER TABLE "park_plan_changes" ADD CONSTRAINT "park_plan_changes_park_id_parks_id_fk" FOREIGN KEY ("park_id") REFERENCES "public"."parks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "park_plan_changes_park_idx" ON "park_plan_changes" USING btree ("park_id","status");--> statement-breakpoint
CREATE INDEX "park_plan_changes_status_idx" ON "park_plan_changes" USING btree ("status","region_code");--> statement-breakpoint
ALTER TABLE "policies" ADD CONSTRAINT "policies_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policies" ADD CONSTRAINT "policies_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policies" ADD CONSTRAINT "policies_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;