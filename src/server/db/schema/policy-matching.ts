/**
 * Policies (module `policies`, issue #5): matching results, 免申即享 payouts with objections, the budget committed
 * by approvals, and 快申 applications. Policy and clause ids point at H2's `policies` / `policy_clauses`
 * (no foreign key here so the two schema files stay independent; rows are written only for existing policies).
 */
import { sql } from 'drizzle-orm';
import {
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { enterprises } from './enterprises.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const yuan = (name: string) => numeric(name, { precision: 16, scale: 2, mode: 'string' });

/** One row per policy clause and enterprise: ELIGIBLE / INELIGIBLE / UNKNOWN with amount and missing facts. */
export const policyMatches = pgTable(
  'policy_matches',
  {
    policyId: uuid('policy_id').notNull(),
    clauseId: uuid('clause_id').notNull(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id, { onDelete: 'cascade' }),
    regionCode: text('region_code').notNull(),
    result: text('result', { enum: ['eligible', 'ineligible', 'unknown'] }).notNull(),
    amountYuan: yuan('amount_yuan'),
    /** Keys of the facts that were missing (catalogue keys; label and source department resolved on read). */
    missing: jsonb('missing').$type<string[]>().notNull().default([]),
    factsYear: smallint('facts_year'),
    matchedAt: ts('matched_at').notNull().defaultNow(),
    /** First time the result became eligible (push); null otherwise. */
    notifiedAt: ts('notified_at'),
    /** The enterprise opened the policy detail. */
    readAt: ts('read_at'),
  },
  (t) => [
    primaryKey({ columns: [t.policyId, t.clauseId, t.enterpriseId] }),
    index('policy_matches_policy_result_idx').on(t.policyId, t.result),
    index('policy_matches_enterprise_idx').on(t.enterpriseId),
  ],
);

/** The amount committed by approved payouts against a policy's budget cap (null cap = uncapped). */
export const policyBudgets = pgTable('policy_budgets', {
  policyId: uuid('policy_id').primaryKey(),
  capYuan: yuan('cap_yuan'),
  committedYuan: yuan('committed_yuan').notNull().default('0'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const payoutBatches = pgTable(
  'payout_batches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    policyId: uuid('policy_id').notNull(),
    number: integer('number').notNull(),
    status: text('status', { enum: ['draft', 'reviewed', 'publicity', 'approving', 'disbursed', 'cancelled'] })
      .notNull()
      .default('draft'),
    /** The policy's region (scope). */
    regionCode: text('region_code').notNull(),
    publicityDays: integer('publicity_days').notNull().default(7),
    /** The policy's day mode when the batch was made (decision 0016). */
    publicityDayMode: text('publicity_day_mode', { enum: ['calendar', 'working'] })
      .notNull()
      .default('calendar'),
    publicityStartsOn: date('publicity_starts_on'),
    publicityEndsOn: date('publicity_ends_on'),
    excluded: jsonb('excluded')
      .$type<{ enterpriseId: string; enterpriseName: string; clauseId: string; reason: string }[]>()
      .notNull()
      .default([]),
    disbursementRef: text('disbursement_ref'),
    disbursedAt: ts('disbursed_at'),
    createdBy: uuid('created_by'),
    reviewedBy: uuid('reviewed_by'),
    reviewedAt: ts('reviewed_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('payout_batches_policy_number_uq').on(t.policyId, t.number)],
);

export const payouts = pgTable(
  'payouts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => payoutBatches.id, { onDelete: 'cascade' }),
    policyId: uuid('policy_id').notNull(),
    clauseId: uuid('clause_id').notNull(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    regionCode: text('region_code').notNull(),
    /** The enterprise's org (portal scope). */
    orgId: uuid('org_id'),
    amountYuan: yuan('amount_yuan').notNull(),
    status: text('status', { enum: ['pending', 'approved', 'paid', 'failed', 'removed', 'declined', 'excluded'] })
      .notNull()
      .default('pending'),
    consent: text('consent', { enum: ['not_needed', 'pending', 'accepted', 'declined'] }).notNull(),
    bankAccountLast4: text('bank_account_last4'),
    trace: jsonb('trace').$type<unknown>(),
    removedReason: text('removed_reason'),
    approvedBy: uuid('approved_by'),
    approvedAt: ts('approved_at'),
    paidAt: ts('paid_at'),
    failureReason: text('failure_reason'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('payouts_batch_idx').on(t.batchId),
    index('payouts_enterprise_idx').on(t.enterpriseId),
    index('payouts_policy_idx').on(t.policyId, t.status),
  ],
);

export const payoutObjections = pgTable(
  'payout_objections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    payoutId: uuid('payout_id')
      .notNull()
      .references(() => payouts.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    filedBy: uuid('filed_by'),
    status: text('status', { enum: ['open', 'upheld', 'dismissed'] })
      .notNull()
      .default('open'),
    decisionNote: text('decision_note'),
    decidedBy: uuid('decided_by'),
    decidedAt: ts('decided_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('payout_objections_payout_idx').on(t.payoutId)],
);

export const policyApplications = pgTable(
  'policy_applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    policyId: uuid('policy_id').notNull(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    regionCode: text('region_code').notNull(),
    orgId: uuid('org_id'),
    status: text('status', { enum: ['submitted', 'approved', 'rejected', 'returned'] })
      .notNull()
      .default('submitted'),
    /** Facts prefilled from enterprise_facts at submission (snapshot). */
    facts: jsonb('facts').$type<Record<string, unknown>>().notNull().default({}),
    factsYear: smallint('facts_year'),
    note: text('note').notNull().default(''),
    attachmentIds: jsonb('attachment_ids').$type<string[]>().notNull().default([]),
    reasons: text('reasons'),
    amountYuan: yuan('amount_yuan'),
    submittedBy: uuid('submitted_by'),
    decidedBy: uuid('decided_by'),
    decidedAt: ts('decided_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('policy_applications_policy_idx').on(t.policyId, t.status),
    index('policy_applications_enterprise_idx').on(t.enterpriseId),
    uniqueIndex('policy_applications_open_uq').on(t.policyId, t.enterpriseId).where(sql`${t.status} = 'submitted'`),
  ],
);
