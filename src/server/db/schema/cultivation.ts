/**
 * 梯度培育 (issue #20, decision 0023): certifications per tier and level, the assessment of every firm per tier (with
 * its near-miss shortfalls), the cultivation pool (培育库) and the targets per region and year.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { enterpriseQualifications, enterprises } from './enterprises.ts';
import { regions, users } from './index.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
export const CULTIVATION_TIERS = ['innovative_sme', 'srdi_sme', 'little_giant'] as const;
export const CERT_LEVELS = ['national', 'provincial', 'municipal'] as const;

/** A recognition (认定) of a firm in a tier at a level, in a batch; valid 3 years (rules.md §3.4). */
export const cultivationCertifications = pgTable(
  'cultivation_certifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id, { onDelete: 'cascade' }),
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    tier: text('tier', { enum: CULTIVATION_TIERS }).notNull(),
    level: text('level', { enum: CERT_LEVELS }).notNull(),
    batchNo: text('batch_no').notNull().default(''),
    authority: text('authority').notNull().default(''),
    recognisedOn: date('recognised_on').notNull(),
    validUntil: date('valid_until').notNull(),
    /** validUntil − 90 days: the 复核 reminder date */
    reviewDueOn: date('review_due_on').notNull(),
    revokedOn: date('revoked_on'),
    revokeReason: text('revoke_reason'),
    /** the enterprise_qualifications row it feeds (policy rules read qualifications) */
    qualificationId: uuid('qualification_id').references(() => enterpriseQualifications.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('cultivation_cert_region_idx').on(t.regionCode, t.tier, t.level),
    index('cultivation_cert_ent_idx').on(t.enterpriseId),
  ],
);

/** The latest assessment of a firm in a tier (population job or a facts change). */
export const cultivationAssessments = pgTable(
  'cultivation_assessments',
  {
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id, { onDelete: 'cascade' }),
    tier: text('tier', { enum: CULTIVATION_TIERS }).notNull(),
    regionCode: text('region_code').notNull(),
    /** the facts year (上年度) */
    year: integer('year').notNull(),
    eligible: boolean('eligible'),
    route: text('route'),
    score: real('score'),
    missing: jsonb('missing').$type<string[]>().notNull().default([]),
    /** near-miss shortfalls (engine `shortfallsOf`), null unless not eligible */
    shortfalls: jsonb('shortfalls').$type<unknown[] | null>(),
    /** sum of the relative gaps of the shortfalls: smaller = closer */
    gap: real('gap'),
    /** the verdict rests on at least one self-reported (unverified) fact */
    selfReported: boolean('self_reported').notNull().default(false),
    /** the facts' sources: fact → source */
    sources: jsonb('sources').$type<Record<string, string>>().notNull().default({}),
    result: jsonb('result').$type<Record<string, unknown>>().notNull(),
    assessedAt: ts('assessed_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.enterpriseId, t.tier] }),
    index('cultivation_assess_region_idx').on(t.regionCode, t.tier),
  ],
);

/** 培育库: a firm guided toward a tier. */
export const cultivationPool = pgTable(
  'cultivation_pool',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id, { onDelete: 'cascade' }),
    regionCode: text('region_code').notNull(),
    targetTier: text('target_tier', { enum: CULTIVATION_TIERS }).notNull(),
    mentorUserId: uuid('mentor_user_id').references(() => users.id),
    source: text('source', { enum: ['near_miss', 'application', 'manual'] }).notNull(),
    status: text('status', { enum: ['active', 'recognised', 'withdrawn'] })
      .notNull()
      .default('active'),
    plan: jsonb('plan').$type<{ title: string; due: string; done: boolean }[]>().notNull().default(sql`'[]'::jsonb`),
    notes: jsonb('notes').$type<{ at: string; by: string; text: string }[]>().notNull().default(sql`'[]'::jsonb`),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('cultivation_pool_region_idx').on(t.regionCode), index('cultivation_pool_ent_idx').on(t.enterpriseId)],
);

/** Targets per region, year and metric (srdi_new: new 专精特新 of any level; scale_up_new: 小升规). */
export const cultivationTargets = pgTable(
  'cultivation_targets',
  {
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    year: integer('year').notNull(),
    metric: text('metric', { enum: ['srdi_new', 'scale_up_new', 'innovative_new', 'little_giant_new'] }).notNull(),
    target: integer('target').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.year, t.metric] })],
);
