/**
 * 万人助万企 (module `assistance`, issue #6): work groups, cadres, pairings, visits, enterprise preferences,
 * problems with their timeline, common issues. Settings per region live in `settings` under `assistance:<region>`.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { enterprises } from './enterprises.ts';
import { orgs, regions, users } from './index.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const assistanceWorkGroups = pgTable(
  'assistance_work_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    name: text('name').notNull(),
    /** The org this group is (a demo login's org may be a work group). */
    orgId: uuid('org_id').references(() => orgs.id),
    leaderName: text('leader_name').notNull().default(''),
    leaderUserId: uuid('leader_user_id').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('assistance_groups_region_idx').on(t.regionCode)],
);

/** 助企干部 (lightweight rows; a login is optional). */
export const assistanceCadres = pgTable(
  'assistance_cadres',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').references(() => users.id),
    name: text('name').notNull(),
    /** The cadre's own unit (free text: many are town or village cadres without an org in the system). */
    org: text('org').notNull().default(''),
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    workGroupId: uuid('work_group_id').references(() => assistanceWorkGroups.id),
    phoneEnc: text('phone_enc'),
    phoneMasked: text('phone_masked'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('assistance_cadres_region_idx').on(t.regionCode),
    index('assistance_cadres_group_idx').on(t.workGroupId),
    index('assistance_cadres_user_idx').on(t.userId),
  ],
);

/** Reasons a cadre gives for no visit in a period (coverage report). */
export const assistanceNoVisitReasons = pgTable(
  'assistance_no_visit_reasons',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    cadreId: uuid('cadre_id')
      .notNull()
      .references(() => assistanceCadres.id, { onDelete: 'cascade' }),
    fromOn: date('from_on').notNull(),
    toOn: date('to_on').notNull(),
    reason: text('reason').notNull(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('assistance_no_visit_cadre_idx').on(t.cadreId)],
);

/**
 * 包联 cadre ↔ enterprise. `enterpriseId` is null for firms of the 「四上」 roster that are not (yet) in the
 * registry: the pairing then names the firm (decision 0014).
 */
export const assistancePairings = pgTable(
  'assistance_pairings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    cadreId: uuid('cadre_id')
      .notNull()
      .references(() => assistanceCadres.id, { onDelete: 'cascade' }),
    enterpriseId: uuid('enterprise_id').references(() => enterprises.id),
    firmName: text('firm_name').notNull(),
    firmUscc: text('firm_uscc').notNull().default(''),
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    fromOn: date('from_on').notNull(),
    toOn: date('to_on'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('assistance_pairings_cadre_idx').on(t.cadreId),
    index('assistance_pairings_ent_idx').on(t.enterpriseId),
    index('assistance_pairings_region_idx').on(t.regionCode),
  ],
);

/** 走访 (visit) and 座谈 (symposium). */
export const assistanceVisits = pgTable(
  'assistance_visits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ['visit', 'symposium'] }).notNull(),
    visitedOn: date('visited_on').notNull(),
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    /** The visiting unit (for the cross-department calendar). */
    orgId: uuid('org_id').references(() => orgs.id),
    orgName: text('org_name').notNull().default(''),
    cadreIds: uuid('cadre_ids').array().notNull().default(sql`'{}'::uuid[]`),
    enterpriseIds: uuid('enterprise_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** Firms met (registry firms plus roster firms; a symposium meets many). */
    firmCount: integer('firm_count').notNull().default(1),
    participants: jsonb('participants').$type<string[]>().notNull().default([]),
    notes: text('notes').notNull().default(''),
    photoFileIds: jsonb('photo_file_ids').$type<string[]>().notNull().default([]),
    /** Only with the visitor's consent (lat/lng/accuracy in metres). */
    location: jsonb('location').$type<{ lat: number; lng: number; accuracy: number } | null>(),
    followUps: jsonb('follow_ups').$type<string[]>().notNull().default([]),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('assistance_visits_region_day_idx').on(t.regionCode, t.visitedOn),
    index('assistance_visits_ent_idx').using('gin', t.enterpriseIds),
  ],
);

/** 无事不扰: the firm's own preferences. */
export const assistancePreferences = pgTable('assistance_preferences', {
  enterpriseId: uuid('enterprise_id')
    .primaryKey()
    .references(() => enterprises.id, { onDelete: 'cascade' }),
  preferOnline: boolean('prefer_online').notNull().default(false),
  updatedBy: uuid('updated_by'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const assistanceCommonIssues = pgTable(
  'assistance_common_issues',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    ownerOrgId: uuid('owner_org_id')
      .notNull()
      .references(() => orgs.id),
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('assistance_common_region_idx').on(t.regionCode)],
);

export const assistanceProblemSeq = pgSequence('assistance_problem_seq', { startWith: 1 });

/** 诉求 (problems). Deadlines are dates (end of that day, China Standard Time). */
export const assistanceProblems = pgTable(
  'assistance_problems',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    enterpriseId: uuid('enterprise_id').references(() => enterprises.id),
    enterpriseName: text('enterprise_name').notNull(),
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    source: text('source', { enum: ['cadre', 'enterprise', 'symposium', 'hotline'] }).notNull(),
    category: text('category').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    priority: text('priority', { enum: ['normal', 'high', 'urgent'] })
      .notNull()
      .default('normal'),
    complexity: text('complexity', { enum: ['ordinary', 'complex'] })
      .notNull()
      .default('ordinary'),
    attachmentFileIds: jsonb('attachment_file_ids').$type<string[]>().notNull().default([]),
    status: text('status', { enum: ['collected', 'assigned', 'in_progress', 'resolved', 'rated', 'closed'] })
      .notNull()
      .default('collected'),
    orgId: uuid('org_id').references(() => orgs.id),
    handlerUserId: uuid('handler_user_id').references(() => users.id),
    handlerName: text('handler_name'),
    submittedBy: uuid('submitted_by'),
    receivedAt: ts('received_at').notNull(),
    receivedOn: date('received_on').notNull(),
    assignBy: date('assign_by').notNull(),
    firstFeedbackBy: date('first_feedback_by').notNull(),
    dueOn: date('due_on').notNull(),
    assignedAt: ts('assigned_at'),
    acceptedAt: ts('accepted_at'),
    firstFeedbackAt: ts('first_feedback_at'),
    resolvedAt: ts('resolved_at'),
    answer: text('answer'),
    closureCode: text('closure_code', {
      enum: [
        'resolved',
        'partly_resolved',
        'explained_policy_limit',
        'explained_not_our_remit',
        'explained_firm_withdrew',
        'duplicate',
      ],
    }),
    rating: text('rating', { enum: ['satisfied', 'basically_satisfied', 'unsatisfied'] }),
    ratingComment: text('rating_comment'),
    ratedAt: ts('rated_at'),
    /** The firm confirmed the resolution (a rating other than 不满意). */
    confirmedByFirm: boolean('confirmed_by_firm').notNull().default(false),
    closedAt: ts('closed_at'),
    stoppedAt: ts('stopped_at'),
    stopReason: text('stop_reason', { enum: ['awaiting_firm_materials', 'awaiting_other_department'] }),
    stopNote: text('stop_note'),
    extensionStatus: text('extension_status', { enum: ['none', 'requested', 'approved', 'rejected'] })
      .notNull()
      .default('none'),
    extensionDays: integer('extension_days'),
    extensionReason: text('extension_reason'),
    escalationLevel: integer('escalation_level').notNull().default(0),
    reopenCount: integer('reopen_count').notNull().default(0),
    commonIssueId: uuid('common_issue_id').references(() => assistanceCommonIssues.id),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('assistance_problems_code_uq').on(t.code),
    index('assistance_problems_region_recv_idx').on(t.regionCode, t.receivedAt),
    index('assistance_problems_ent_idx').on(t.enterpriseId),
    index('assistance_problems_org_idx').on(t.orgId),
    index('assistance_problems_status_idx').on(t.status),
    index('assistance_problems_common_idx').on(t.commonIssueId),
  ],
);

/** The timeline: every action, who, when; the firm sees only `visibleToFirm` rows. */
export const assistanceProblemEvents = pgTable(
  'assistance_problem_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    problemId: uuid('problem_id')
      .notNull()
      .references(() => assistanceProblems.id, { onDelete: 'cascade' }),
    action: text('action').notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull().default(''),
    at: ts('at').notNull(),
    note: text('note').notNull().default(''),
    visibleToFirm: boolean('visible_to_firm').notNull().default(true),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('assistance_events_problem_idx').on(t.problemId, t.at)],
);
