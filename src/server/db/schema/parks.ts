/** 小微企业园 (module `parks`): registry, stage history, milestones, investment, reports, buildings and units. */
import { sql } from 'drizzle-orm';
import {
  boolean,
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
import { orgs, regions } from './index.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const wan = (name: string) => numeric(name, { precision: 16, scale: 2, mode: 'number' });

export const parks = pgTable(
  'parks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    address: text('address').notNull().default(''),
    /** WGS-84. */
    lng: numeric('lng', { precision: 9, scale: 6, mode: 'number' }),
    lat: numeric('lat', { precision: 9, scale: 6, mode: 'number' }),
    category: text('category', { enum: ['manufacturing', 'producer_services'] }).notNull(),
    developmentMode: text('development_mode', {
      enum: ['government', 'leading_enterprise', 'third_party', 'consortium'],
    }).notNull(),
    operatorOrgId: uuid('operator_org_id').references(() => orgs.id),
    landAreaMu: numeric('land_area_mu', { precision: 12, scale: 2, mode: 'number' }).notNull(),
    floorAreaM2: numeric('floor_area_m2', { precision: 14, scale: 2, mode: 'number' }).notNull(),
    plannedInvestmentWan: wan('planned_investment_wan').notNull(),
    /** GB/T 4754-2017 codes of the industry focus. */
    industryCodes: jsonb('industry_codes').$type<string[]>().notNull().default([]),
    positioning: text('positioning').notNull().default(''),
    stage: text('stage', {
      enum: ['planned', 'filed', 'land_acquired', 'permitted', 'under_construction', 'completed', 'operating'],
    })
      .notNull()
      .default('planned'),
    recognitionLevel: text('recognition_level', { enum: ['county', 'municipal', 'provincial'] }),
    recognitionBatch: text('recognition_batch'),
    recognizedOn: date('recognized_on'),
    starLevel: smallint('star_level'),
    starYear: smallint('star_year'),
    /** Under the city's key monitoring (重点监测) from / until. */
    monitoredFrom: date('monitored_from'),
    monitoredUntil: date('monitored_until'),
    photoFileIds: jsonb('photo_file_ids').$type<string[]>().notNull().default([]),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('parks_code_uq').on(t.code),
    index('parks_region_idx').on(t.regionCode),
    index('parks_operator_idx').on(t.operatorOrgId),
    index('parks_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
  ],
);

export const parkStageHistory = pgTable(
  'park_stage_history',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    parkId: uuid('park_id')
      .notNull()
      .references(() => parks.id, { onDelete: 'cascade' }),
    stage: text('stage').notNull(),
    on: date('on').notNull(),
  },
  (t) => [index('park_stage_history_park_idx').on(t.parkId)],
);

export const parkMilestones = pgTable(
  'park_milestones',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    parkId: uuid('park_id')
      .notNull()
      .references(() => parks.id, { onDelete: 'cascade' }),
    seq: smallint('seq').notNull(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    plannedOn: date('planned_on'),
    actualOn: date('actual_on'),
    /** Set when the overdue notice went out, so it goes out once. */
    overdueNotified: boolean('overdue_notified').notNull().default(false),
  },
  (t) => [
    uniqueIndex('park_milestones_park_key_uq').on(t.parkId, t.key),
    index('park_milestones_planned_idx').on(t.plannedOn),
  ],
);

export const parkInvestmentPlans = pgTable(
  'park_investment_plans',
  {
    parkId: uuid('park_id')
      .notNull()
      .references(() => parks.id, { onDelete: 'cascade' }),
    year: smallint('year').notNull(),
    plannedWan: wan('planned_wan').notNull(),
  },
  (t) => [primaryKey({ columns: [t.parkId, t.year] })],
);

export const parkMonthlyInvestments = pgTable(
  'park_monthly_investments',
  {
    parkId: uuid('park_id')
      .notNull()
      .references(() => parks.id, { onDelete: 'cascade' }),
    year: smallint('year').notNull(),
    month: smallint('month').notNull(),
    amountWan: wan('amount_wan').notNull(),
    source: text('source', { enum: ['reported', 'statistics', 'verified'] })
      .notNull()
      .default('reported'),
    enteredBy: uuid('entered_by'),
    enteredAt: ts('entered_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.parkId, t.year, t.month] })],
);

/** Yearly industrial-investment targets of a region (district or city). */
export const regionInvestmentTargets = pgTable(
  'region_investment_targets',
  {
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    year: smallint('year').notNull(),
    targetWan: wan('target_wan').notNull(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.year] })],
);

/** 周报 / 月报. */
export const parkReports = pgTable(
  'park_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    parkId: uuid('park_id')
      .notNull()
      .references(() => parks.id, { onDelete: 'cascade' }),
    period: text('period', { enum: ['week', 'month'] }).notNull(),
    periodStart: date('period_start').notNull(),
    dueOn: date('due_on').notNull(),
    submittedOn: date('submitted_on'),
    investmentWan: wan('investment_wan').notNull().default(0),
    progress: text('progress').notNull().default(''),
    problems: text('problems').notNull().default(''),
    photoFileIds: jsonb('photo_file_ids').$type<string[]>().notNull().default([]),
    submittedBy: uuid('submitted_by'),
  },
  (t) => [uniqueIndex('park_reports_period_uq').on(t.parkId, t.period, t.periodStart)],
);

export const parkBuildings = pgTable(
  'park_buildings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    parkId: uuid('park_id')
      .notNull()
      .references(() => parks.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    floors: smallint('floors').notNull(),
  },
  (t) => [uniqueIndex('park_buildings_name_uq').on(t.parkId, t.name)],
);

/** Units; leases (tenancies) come with the enterprises module and point here. */
export const parkUnits = pgTable(
  'park_units',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    parkId: uuid('park_id')
      .notNull()
      .references(() => parks.id, { onDelete: 'cascade' }),
    buildingId: uuid('building_id')
      .notNull()
      .references(() => parkBuildings.id, { onDelete: 'cascade' }),
    floor: smallint('floor').notNull(),
    code: text('code').notNull(),
    areaM2: numeric('area_m2', { precision: 12, scale: 2, mode: 'number' }).notNull(),
    use: text('use', { enum: ['production', 'office', 'warehouse', 'dormitory', 'canteen'] }).notNull(),
    leasable: boolean('leasable').notNull().default(true),
    /** Leased area until the enterprises module's tenancies take over (docs/decisions/0008-parks.md). */
    leasedM2: numeric('leased_m2', { precision: 12, scale: 2, mode: 'number' }).notNull().default(0),
  },
  (t) => [uniqueIndex('park_units_code_uq').on(t.buildingId, t.code)],
);

/** The proposal of a plan change request: a whole milestone schedule, or one year's investment plan. */
export type PlanChangeProposal =
  | {
      kind: 'milestones';
      milestones: { key: string; name: string; plannedOn: string | null; actualOn?: string | null }[];
    }
  | { kind: 'investment_plan'; year: number; plannedWan: number };

/**
 * Plan change requests (issue #16, decision 0020): a park operator's change to milestone plan dates or an
 * investment plan waits here until the district approves or returns it; the approved plan stays in
 * park_milestones / park_investment_plans (overdue is judged against it). `original` is the approved plan when
 * the request was made, kept beside the proposal.
 */
export const parkPlanChanges = pgTable(
  'park_plan_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    parkId: uuid('park_id')
      .notNull()
      .references(() => parks.id, { onDelete: 'cascade' }),
    /** The park's region (scope). */
    regionCode: text('region_code').notNull(),
    kind: text('kind', { enum: ['milestones', 'investment_plan'] }).notNull(),
    status: text('status', { enum: ['pending', 'approved', 'returned'] })
      .notNull()
      .default('pending'),
    proposal: jsonb('proposal').$type<PlanChangeProposal>().notNull(),
    original: jsonb('original').$type<PlanChangeProposal>().notNull(),
    reason: text('reason').notNull().default(''),
    requestedBy: uuid('requested_by').notNull(),
    requestedAt: ts('requested_at').notNull().defaultNow(),
    decidedBy: uuid('decided_by'),
    decidedAt: ts('decided_at'),
    decisionNote: text('decision_note'),
  },
  (t) => [
    index('park_plan_changes_park_idx').on(t.parkId, t.status),
    index('park_plan_changes_status_idx').on(t.status, t.regionCode),
  ],
);
