/** Cockpit targets (module `targets`, issue #21): 目标任务 per region, indicator and period, set by the level above. */
import { index, integer, numeric, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { TARGET_PERIODS } from '../../../domain/targets.ts';
import { regions, users } from './index.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const targets = pgTable(
  'targets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    /** A cockpit tile key (src/domain/targets.ts TARGET_INDICATORS). */
    indicator: text('indicator').notNull(),
    period: text('period', { enum: TARGET_PERIODS }).notNull(),
    year: smallint('year').notNull(),
    /** 1 for a year; 1–2 for a half; 1–4 for a quarter. */
    periodNo: smallint('period_no').notNull().default(1),
    /** Cumulative from the start of the year (see src/domain/targets.ts). */
    value: numeric('value', { precision: 20, scale: 4, mode: 'number' }).notNull(),
    /** Where the figure comes from (a document, a seed, a meeting). */
    basis: text('basis').notNull().default(''),
    /** The region whose official set it (the level above the target's region). */
    setByRegion: text('set_by_region'),
    createdBy: uuid('created_by').references(() => users.id),
    updatedBy: uuid('updated_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('targets_uq').on(t.regionCode, t.indicator, t.period, t.year, t.periodNo),
    index('targets_year_idx').on(t.year, t.regionCode),
  ],
);
