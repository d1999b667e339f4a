/**
 * 周报 / 月报 archive (issue #21, decision 0025): one row per period type, period and region, with the figures it
 * was built from and the content addresses of its PDF and Excel files (blobs under DATA_DIR/files, FileStore).
 */
import { date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { regions } from './index.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const reports = pgTable(
  'reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    periodType: text('period_type', { enum: ['weekly', 'monthly'] }).notNull(),
    periodStart: date('period_start').notNull(),
    /** Last day of the period (inclusive): the figures are as of this day. */
    periodEnd: date('period_end').notNull(),
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    title: text('title').notNull(),
    /** The cockpit tiles (this period and the one before) and the districts' tiles the files were built from. */
    figures: jsonb('figures').$type<Record<string, unknown>>().notNull(),
    pdfSha256: text('pdf_sha256').notNull(),
    pdfSize: integer('pdf_size').notNull(),
    xlsxSha256: text('xlsx_sha256').notNull(),
    xlsxSize: integer('xlsx_size').notNull(),
    /** The job that generated it (scheduled or on demand). */
    jobId: uuid('job_id'),
    generatedBy: uuid('generated_by'),
    generatedByUsername: text('generated_by_username'),
    generatedAt: ts('generated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('reports_period_region_uq').on(t.periodType, t.periodStart, t.regionCode),
    index('reports_region_idx').on(t.regionCode, t.periodStart),
  ],
);
