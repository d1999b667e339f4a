CREATE TABLE "payout_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"policy_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"region_code" text NOT NULL,
	"publicity_days" integer DEFAULT 7 NOT NULL,
	"publicity_starts_on" date,
	"publicity_ends_on" date,
	"excluded" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"disbursement_ref" text,
	"disbursed_at" timestamp with time zone,
	"created_by" uuid,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payout_objections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"payout_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"filed_by" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"decision_note" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payouts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"batch_id" uuid NOT NULL,
	"policy_id" uuid NOT NULL,
	"clause_id" uuid NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"region_code" text NOT NULL,
	"org_id" uuid,
	"amount_yuan" numeric(16, 2) NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"consent" text NOT NULL,
	"bank_account_last4" text,
	"trace" jsonb,
	"removed_reason" text,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"failure_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"policy_id" uuid NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"region_code" text NOT NULL,
	"org_id" uuid,
	"status" text DEFAULT 'submitted' NOT NULL,
	"facts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"facts_year" smallint,
	"note" text DEFAULT '' NOT NULL,
	"attachment_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reasons" text,
	"amount_yuan" numeric(16, 2),
	"submitted_by" uuid,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy_budgets" (
	"policy_id" uuid PRIMARY KEY NOT NULL,
	"cap_yuan" numeric(16, 2),
	"committed_yuan" numeric(16, 2) DEFAULT '0' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy_matches" (
	"policy_id" uuid NOT NULL,
	"clause_id" uuid NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"region_code" text NOT NULL,
	"result" text NOT NULL,
	"amount_yuan" numeric(16, 2),
	"missing" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"facts_year" smallint,
	"matched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"notified_at" timestamp with time zone,
	"read_at" timestamp with time zone,
	CONSTRAINT "policy_matches_policy_id_clause_id_enterprise_id_pk" PRIMARY KEY("policy_id","clause_id","enterprise_id")
);
--> statement-breakpoint
ALTER TABLE "payout_objections" ADD CONSTRAINT "payout_objections_payout_id_payouts_id_fk" FOREIGN KEY ("payout_id") REFERENCES "public"."payouts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_batch_id_payout_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."payout_batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_applications" ADD CONSTRAINT "policy_applications_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_matches" ADD CONSTRAINT "policy_matches_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "payout_batches_policy_number_uq" ON "payout_batches" USING btree ("policy_id","number");--> statement-breakpoint
CREATE INDEX "payout_objections_payout_idx" ON "payout_objections" USING btree ("payout_id");--> statement-breakpoint
CREATE INDEX "payouts_batch_idx" ON "payouts" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "payouts_enterprise_idx" ON "payouts" USING btree ("enterprise_id");--> statement-breakpoint
CREATE INDEX "payouts_policy_idx" ON "payouts" USING btree ("policy_id","status");--> statement-breakpoint
CREATE INDEX "policy_applications_policy_idx" ON "policy_applications" USING btree ("policy_id","status");--> statement-breakpoint
CREATE INDEX "policy_applications_enterprise_idx" ON "policy_applications" USING btree ("enterprise_id");--> statement-breakpoint
CREATE UNIQUE INDEX "policy_applications_open_uq" ON "policy_applications" USING btree ("policy_id","enterprise_id") WHERE "policy_applications"."status" = 'submitted';--> statement-breakpoint
CREATE INDEX "policy_matches_policy_result_idx" ON "policy_matches" USING btree ("policy_id","result");--> statement-breakpoint
CREATE INDEX "policy_matches_enterprise_idx" ON "policy_matches" USING btree ("enterprise_id");