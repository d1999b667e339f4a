/** Enterprises (module `enterprises`): registry, qualifications, indicators with provenance, tenancy, contacts, facts. */
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
import { SOURCES } from '../../../domain/provenance.ts';
import { files, jobRuns, orgs, parks, parkUnits, regions } from './index.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const enterprises = pgTable(
  'enterprises',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Normalised 统一社会信用代码 (GB 32100). */
    uscc: text('uscc').notNull(),
    name: text('name').notNull(),
    /** Pinyin initials of the name, for search (e.g. zzhkjmzz…). */
    nameInitials: text('name_initials').notNull().default(''),
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    /** GB/T 4754-2017 code. */
    industryCode: text('industry_code').notNull(),
    foundedOn: date('founded_on'),
    registeredCapitalWan: numeric('registered_capital_wan', { precision: 16, scale: 2, mode: 'number' }),
    legalRepresentative: text('legal_representative').notNull().default(''),
    address: text('address').notNull().default(''),
    status: text('status', { enum: ['active', 'exited', 'deregistered'] })
      .notNull()
      .default('active'),
    /** The enterprise's own org (portal users). */
    orgId: uuid('org_id').references(() => orgs.id),
    usccWarnings: jsonb('uscc_warnings').$type<string[]>().notNull().default([]),
    /** Rows of a bulk import stay invisible until that job succeeds (one-row publish). */
    importJobId: uuid('import_job_id').references(() => jobRuns.id),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('enterprises_uscc_uq').on(t.uscc),
    index('enterprises_region_idx').on(t.regionCode),
    index('enterprises_org_idx').on(t.orgId),
    index('enterprises_import_idx').on(t.importJobId),
    index('enterprises_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
    index('enterprises_initials_idx').on(t.nameInitials),
  ],
);

export const enterpriseQualifications = pgTable(
  'enterprise_qualifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id, { onDelete: 'cascade' }),
    type: text('type', {
      enum: ['high_tech', 'tech_sme', 'innovative_sme', 'srdi_sme', 'little_giant', 'single_champion', 'listed'],
    }).notNull(),
    level: text('level', { enum: ['national', 'provincial', 'municipal'] }),
    certificateNo: text('certificate_no').notNull().default(''),
    issuedOn: date('issued_on').notNull(),
    validUntil: date('valid_until'),
    expiryNotified: boolean('expiry_notified').notNull().default(false),
  },
  (t) => [index('enterprise_qualifications_ent_idx').on(t.enterpriseId)],
);

/**
 * Yearly indicators: the EFFECTIVE value per enterprise, year and indicator (the highest-ranked source present,
 * decision 0018), with that source. Written only from `enterprise_indicator_values`.
 */
export const enterpriseIndicators = pgTable(
  'enterprise_indicators',
  {
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id, { onDelete: 'cascade' }),
    year: smallint('year').notNull(),
    key: text('key').notNull(),
    value: numeric('value', { precision: 20, scale: 4, mode: 'number' }).notNull(),
    source: text('source', { enum: SOURCES }).notNull(),
    enteredBy: uuid('entered_by'),
    enteredAt: ts('entered_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.enterpriseId, t.year, t.key] })],
);

/**
 * Every reported yearly value, per (enterprise, year, indicator, source): a new value from the same source is a
 * new version (the old one stays, `current` false). Self-reports carry their review (核实) state.
 */
export const enterpriseIndicatorValues = pgTable(
  'enterprise_indicator_values',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id, { onDelete: 'cascade' }),
    year: smallint('year').notNull(),
    key: text('key').notNull(),
    source: text('source', { enum: SOURCES }).notNull(),
    value: numeric('value', { precision: 20, scale: 4, mode: 'number' }).notNull(),
    version: integer('version').notNull().default(1),
    current: boolean('current').notNull().default(true),
    enteredBy: uuid('entered_by'),
    enteredAt: ts('entered_at').notNull().defaultNow(),
    note: text('note').notNull().default(''),
    evidenceFileId: uuid('evidence_file_id').references(() => files.id),
    /** Self-reports: pending (待核实), confirmed, rejected, not_required (within tolerance of the official value). */
    reviewStatus: text('review_status', { enum: ['pending', 'confirmed', 'rejected', 'not_required'] }),
    reviewFlag: text('review_flag', { enum: ['deviation', 'no_official'] }),
    /** The effective official value and its source when the self-report came in (for the queue). */
    officialValue: numeric('official_value', { precision: 20, scale: 4, mode: 'number' }),
    officialSource: text('official_source', { enum: SOURCES }),
    reviewedBy: uuid('reviewed_by'),
    reviewedAt: ts('reviewed_at'),
    reviewNote: text('review_note'),
  },
  (t) => [
    index('enterprise_indicator_values_ent_idx').on(t.enterpriseId, t.year, t.key),
    index('enterprise_indicator_values_review_idx')
      .on(t.reviewStatus, t.enteredAt)
      .where(sql`${t.reviewStatus} is not null and ${t.current}`),
  ],
);

/** Data-quality issues per enterprise (bounds, shares, year-on-year jumps), recomputed with the facts. */
export const enterpriseDataIssues = pgTable(
  'enterprise_data_issues',
  {
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id, { onDelete: 'cascade' }),
    year: smallint('year').notNull(),
    key: text('key').notNull(),
    kind: text('kind', { enum: ['negative', 'out_of_range', 'yoy_jump'] }).notNull(),
    regionCode: text('region_code').notNull(),
    detail: jsonb('detail').$type<Record<string, number | undefined>>().notNull().default({}),
  },
  (t) => [
    primaryKey({ columns: [t.enterpriseId, t.year, t.key, t.kind] }),
    index('enterprise_data_issues_region_idx').on(t.regionCode, t.kind),
  ],
);

export const enterpriseMonthlyIndicators = pgTable(
  'enterprise_monthly_indicators',
  {
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id, { onDelete: 'cascade' }),
    year: smallint('year').notNull(),
    month: smallint('month').notNull(),
    key: text('key', { enum: ['revenue', 'tax', 'electricity'] }).notNull(),
    value: numeric('value', { precision: 20, scale: 4, mode: 'number' }).notNull(),
    source: text('source', { enum: SOURCES }).notNull(),
    enteredBy: uuid('entered_by'),
    enteredAt: ts('entered_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.enterpriseId, t.year, t.month, t.key] })],
);

export const tenancies = pgTable(
  'tenancies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id, { onDelete: 'cascade' }),
    parkId: uuid('park_id')
      .notNull()
      .references(() => parks.id),
    unitId: uuid('unit_id').references(() => parkUnits.id),
    areaM2: numeric('area_m2', { precision: 12, scale: 2, mode: 'number' }).notNull(),
    startOn: date('start_on').notNull(),
    endOn: date('end_on'),
    status: text('status', { enum: ['active', 'ended'] })
      .notNull()
      .default('active'),
  },
  (t) => [
    index('tenancies_ent_idx').on(t.enterpriseId),
    index('tenancies_park_idx').on(t.parkId),
    index('tenancies_unit_idx').on(t.unitId),
  ],
);

/** Contacts: phone and ID number encrypted (SM4-CBC + HMAC-SM3) with a blind index for exact search. */
export const enterpriseContacts = pgTable(
  'enterprise_contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    role: text('role').notNull().default(''),
    mobileEnc: text('mobile_enc'),
    mobileIndex: text('mobile_index'),
    mobileMasked: text('mobile_masked'),
    idNoEnc: text('id_no_enc'),
    idNoIndex: text('id_no_index'),
    idNoMasked: text('id_no_masked'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('enterprise_contacts_ent_idx').on(t.enterpriseId),
    index('enterprise_contacts_mobile_idx').on(t.mobileIndex),
  ],
);

/** Everything rules match on, one row per enterprise and year, recomputed whenever an input changes. */
export const enterpriseFacts = pgTable(
  'enterprise_facts',
  {
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id, { onDelete: 'cascade' }),
    year: smallint('year').notNull(),
    regionCode: text('region_code').notNull(),
    industryCode: text('industry_code').notNull(),
    parkId: uuid('park_id'),
    size: text('size', { enum: ['large', 'medium', 'small', 'micro', 'unknown'] }).notNull(),
    aboveScale: boolean('above_scale'),
    facts: jsonb('facts').$type<Record<string, unknown>>().notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.enterpriseId, t.year] }),
    index('enterprise_facts_year_idx').on(t.year, t.regionCode),
  ],
);
