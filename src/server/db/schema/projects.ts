/** 三个一批 major projects (module `projects`): batches, projects, batch entries, plans, monthly investment. */
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
import { orgs, regions } from './index.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
/** Money in 万元 with 2 decimals (numeric, never float in the database). */
const wan = (name: string) => numeric(name, { precision: 16, scale: 2, mode: 'number' });

/** One 「期」 of the 三个一批 event. */
export const projectBatches = pgTable(
  'project_batches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: integer('number').notNull(),
    level: text('level', { enum: ['province', 'city'] })
      .notNull()
      .default('province'),
    heldOn: date('held_on').notNull(),
    title: text('title').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('project_batches_number_level_uq').on(t.number, t.level)],
);

export const projects = pgTable(
  'projects',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    ownerName: text('owner_name').notNull(),
    /** The owner enterprise's org, when it has one in Miaopu. */
    ownerOrgId: uuid('owner_org_id').references(() => orgs.id),
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    industryClass: text('industry_class', {
      enum: [
        'manufacturing',
        'investment_attraction',
        'strategic_emerging',
        'infrastructure',
        'modern_services',
        'social_livelihood',
        'other',
      ],
    }).notNull(),
    /** GB/T 4754-2017 code, optional. */
    industryCode: text('industry_code'),
    totalInvestmentWan: wan('total_investment_wan').notNull(),
    responsibleOrgId: uuid('responsible_org_id').references(() => orgs.id),
    responsibleUnit: text('responsible_unit').notNull(),
    responsiblePerson: text('responsible_person').notNull().default(''),
    stage: text('stage', { enum: ['signed', 'performed', 'started', 'producing', 'effective'] })
      .notNull()
      .default('signed'),
    signedOn: date('signed_on'),
    plannedPerformanceOn: date('planned_performance_on'),
    performedOn: date('performed_on'),
    plannedStartOn: date('planned_start_on'),
    startedOn: date('started_on'),
    plannedProductionOn: date('planned_production_on'),
    productionOn: date('production_on'),
    plannedEffectiveOn: date('planned_effective_on'),
    effectiveOn: date('effective_on'),
    /** 履约 evidence checklist: item key → done (docs/decisions/0007-projects-kpis.md). */
    performanceEvidence: jsonb('performance_evidence').$type<Record<string, boolean>>().notNull().default({}),
    /** The last delay warning level notified, so a level is announced once. */
    notifiedWarning: text('notified_warning').notNull().default('none'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('projects_code_uq').on(t.code),
    index('projects_region_idx').on(t.regionCode),
    index('projects_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
  ],
);

/** A project's appearance in a batch's sign, start or commission list (once per kind). */
export const projectBatchEntries = pgTable(
  'project_batch_entries',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['sign', 'start', 'produce'] }).notNull(),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => projectBatches.id),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.kind] }),
    index('project_batch_entries_batch_idx').on(t.batchId, t.kind),
  ],
);

export const projectAnnualPlans = pgTable(
  'project_annual_plans',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    year: smallint('year').notNull(),
    plannedWan: wan('planned_wan').notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.year] })],
);

/** Completed investment per month, with its provenance. */
export const projectMonthlyInvestments = pgTable(
  'project_monthly_investments',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    year: smallint('year').notNull(),
    month: smallint('month').notNull(),
    amountWan: wan('amount_wan').notNull(),
    source: text('source', { enum: ['reported', 'statistics', 'verified'] })
      .notNull()
      .default('reported'),
    enteredBy: uuid('entered_by'),
    enteredAt: ts('entered_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.year, t.month] })],
);
