/** Policy library (module `policies`, issue #5): policies and their clauses (rules.md §8.3). */
import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { Rule } from '../../../domain/rules/types.ts';
import { orgs, regions, users } from './index.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
/** Money in 元 with 2 decimals, kept as a decimal string (never a float). */
const yuan = (name: string) => numeric(name, { precision: 16, scale: 2, mode: 'string' });

/** A tsvector written by the app (CJK bigrams and unigrams, see modules/policies/search.ts). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export interface ClauseExample {
  name: string;
  facts: Record<string, unknown>;
  /** Qualifications held, for rules with `qualification` conditions. */
  qualifications?: { type: string; level?: string | null; issuedOn: string; validUntil?: string | null }[];
  asOf: string;
  /** `missing`: facts the result must name as missing (for unknown cases). */
  expected: { eligible: boolean | null; amount: string | null; missing?: string[] };
}

export const policies = pgTable(
  'policies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    title: text('title').notNull(),
    /** 文号, e.g. 郑人社〔2023〕12号 ('' when the document has none). */
    docNo: text('doc_no').notNull().default(''),
    /** The Miaopu org that issues (or, for national/provincial texts, forwards and administers) the policy. */
    issuerOrgId: uuid('issuer_org_id')
      .notNull()
      .references(() => orgs.id),
    /** The issuer as printed on the document (may name a national or provincial body). */
    issuerName: text('issuer_name').notNull(),
    level: text('level', { enum: ['national', 'provincial', 'municipal', 'district'] }).notNull(),
    /** The region whose library holds the policy (scope). */
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    publishedOn: date('published_on'),
    effectiveFrom: date('effective_from'),
    expiresOn: date('expires_on'),
    applyFrom: date('apply_from'),
    applyTo: date('apply_to'),
    summary: text('summary').notNull().default(''),
    /** Sanitised HTML (modules/policies/sanitize.ts). */
    bodyHtml: text('body_html').notNull().default(''),
    /** Plain text of the body (search, snippets). */
    bodyText: text('body_text').notNull().default(''),
    /** File ids from the files API. */
    attachments: jsonb('attachments').$type<string[]>().notNull().default([]),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    channel: text('channel', { enum: ['mianshen', 'kuaishen', 'ordinary'] }).notNull(),
    budgetCapYuan: yuan('budget_cap_yuan'),
    /** 公示 days before payout. */
    publicityDays: smallint('publicity_days').notNull().default(5),
    /** How the 公示 days count: calendar days or working days (decision 0016). */
    publicityDayMode: text('publicity_day_mode', { enum: ['calendar', 'working'] })
      .notNull()
      .default('calendar'),
    status: text('status', { enum: ['draft', 'review', 'approved', 'published', 'expired', 'withdrawn'] })
      .notNull()
      .default('draft'),
    /** Reason of the last reject / withdraw. */
    statusReason: text('status_reason'),
    /** Maker–checker (decision 0020): who sent the policy to review, who approved it, who published it. */
    submittedBy: uuid('submitted_by').references(() => users.id),
    submittedAt: ts('submitted_at'),
    approvedBy: uuid('approved_by').references(() => users.id),
    approvedAt: ts('approved_at'),
    publishedBy: uuid('published_by').references(() => users.id),
    reviewedBy: uuid('reviewed_by').references(() => users.id),
    reviewedAt: ts('reviewed_at'),
    searchVector: tsvector('search_vector'),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('policies_code_uq').on(t.code),
    index('policies_region_idx').on(t.regionCode),
    index('policies_issuer_idx').on(t.issuerOrgId),
    index('policies_status_idx').on(t.status),
    index('policies_doc_no_idx').on(t.docNo),
    index('policies_search_idx').using('gin', t.searchVector),
  ],
);

export const policyClauses = pgTable(
  'policy_clauses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    policyId: uuid('policy_id')
      .notNull()
      .references(() => policies.id, { onDelete: 'cascade' }),
    ordinal: smallint('ordinal').notNull(),
    title: text('title').notNull(),
    benefitType: text('benefit_type', {
      enum: ['subsidy', 'reward', 'refund', 'tax', 'qualification'],
    }).notNull(),
    eligibility: jsonb('eligibility').$type<Rule>().notNull(),
    /** Amount formula in 元 (domain/rules formula language), null when the clause pays no computed amount. */
    amountFormula: text('amount_formula'),
    capYuan: yuan('cap_yuan'),
    floorYuan: yuan('floor_yuan'),
    oncePerEnterprise: boolean('once_per_enterprise').notNull().default(true),
    /** 从高不重复: of the clauses in one group only the highest amount pays. */
    stackingGroup: text('stacking_group'),
    /** Departments / systems holding the data the clause is checked against. */
    dataSources: text('data_sources').array().notNull().default(sql`'{}'::text[]`),
    /** 意愿确认 required before payout. */
    needsConsent: boolean('needs_consent').notNull().default(false),
    factsYear: text('facts_year', { enum: ['previous', 'current'] })
      .notNull()
      .default('previous'),
    examples: jsonb('examples').$type<ClauseExample[]>().notNull().default([]),
    /** The lowest source the clause accepts for the facts it reads (decision 0018): null = any. */
    minSource: text('min_source', { enum: ['official', 'verified_on_site'] }),
  },
  (t) => [uniqueIndex('policy_clauses_ordinal_uq').on(t.policyId, t.ordinal)],
);
