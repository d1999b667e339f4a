/**
 * Policy library use cases: create, update (optimistic version), delete, workflow transitions. Each runs in
 * the caller's transaction and writes its audit row there (DESIGN.md §3).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { can } from '../../../domain/access.ts';
import type { PublicityDayMode } from '../../../domain/payouts.ts';
import {
  ACTION_LABELS,
  actionsFrom,
  type BenefitType,
  type FactsYear,
  isDeletable,
  isEditable,
  isPastExpiry,
  type PolicyAction,
  type PolicyChannel,
  type PolicyLevel,
  type PolicyStatus,
  policyStep,
  STATUS_LABELS,
} from '../../../domain/policies.ts';
import { FormulaError, parseFormula } from '../../../domain/rules/index.ts';
import type { Rule } from '../../../domain/rules/types.ts';
import type { Tx } from '../../db/client.ts';
import { type ClauseExample, files, orgs, policies, policyClauses } from '../../db/schema/index.ts';
import { type Actor, SYSTEM_ACTOR } from '../../platform/audit.ts';
import type { AppDeps } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { type Scope, scopeWhere } from '../../platform/scope.ts';
import { todayShanghai } from '../projects/service.ts';
import { runExamples } from './examples.ts';
import { onPolicyPublished } from './matching.ts';
import * as q from './queries.ts';
import { htmlToText, sanitizeHtml } from './sanitize.ts';
import { searchVectorSql } from './search.ts';

export interface ClauseInput {
  id?: string;
  title: string;
  benefitType: BenefitType;
  eligibility: Rule;
  amountFormula?: string | null;
  capYuan?: string | null;
  floorYuan?: string | null;
  oncePerEnterprise?: boolean;
  stackingGroup?: string | null;
  dataSources?: string[];
  needsConsent?: boolean;
  factsYear?: FactsYear;
  minSource?: 'official' | 'verified_on_site' | null;
  examples?: ClauseExample[];
}

export interface PolicyInput {
  code?: string;
  title: string;
  docNo?: string;
  issuerOrgId: string;
  issuerName?: string;
  level: PolicyLevel;
  regionCode?: string;
  publishedOn?: string | null;
  effectiveFrom?: string | null;
  expiresOn?: string | null;
  applyFrom?: string | null;
  applyTo?: string | null;
  summary?: string;
  bodyHtml?: string;
  attachments?: string[];
  tags?: string[];
  channel: PolicyChannel;
  budgetCapYuan?: string | null;
  publicityDays?: number;
  publicityDayMode?: PublicityDayMode;
  clauses?: ClauseInput[];
}

const ISSUER_KINDS = new Set(['bureau', 'department', 'district_government']);

const fieldError = (field: string, message: string) =>
  new AppError('VALIDATION_FAILED', {}, { fields: [{ field, message }] });

async function resolveIssuer(tx: Tx, deps: AppDeps, scope: Scope, input: PolicyInput) {
  const [org] = await tx.select().from(orgs).where(eq(orgs.id, input.issuerOrgId));
  if (!org || !ISSUER_KINDS.has(org.kind))
    throw fieldError('body.issuerOrgId', 'not an issuing department (bureau, department or district government)');
  const regionCode =
    input.regionCode ?? (scope.regionCodes.includes(org.regionCode) ? org.regionCode : scope.rootRegion);
  if (!regionCode || !deps.regions.get(regionCode)) throw fieldError('body.regionCode', 'unknown region');
  if (!q.canAuthor(scope, { regionCode })) throw new AppError('FORBIDDEN');
  // the issuer is the author's own org or an org within the author's region scope (decision 0020)
  if (org.id !== scope.orgId && !scope.regionCodes.includes(org.regionCode))
    throw new AppError('POLICY_ISSUER_OUT_OF_SCOPE', { issuer: org.name }, { field: 'body.issuerOrgId' });
  return { org, regionCode };
}

/** Attachments must be files the author may see (uploaded in their scope). */
async function checkAttachments(tx: Tx, scope: Scope, ids: string[] | undefined) {
  if (!ids?.length) return;
  const found = await tx
    .select({ id: files.id })
    .from(files)
    .where(and(inArray(files.id, ids), scopeWhere(scope, { region: files.regionCode, org: files.orgId })));
  const have = new Set(found.map((f) => f.id));
  const missing = ids.findIndex((id) => !have.has(id));
  if (missing >= 0) throw fieldError(`body.attachments.${missing}`, 'unknown file');
}

function checkDates(input: PolicyInput) {
  const pairs: [keyof PolicyInput, keyof PolicyInput][] = [
    ['effectiveFrom', 'expiresOn'],
    ['applyFrom', 'applyTo'],
  ];
  for (const [a, b] of pairs) {
    const from = input[a] as string | null | undefined;
    const to = input[b] as string | null | undefined;
    if (from && to && from > to) throw fieldError(`body.${b}`, `before ${a}`);
  }
  const ordinals = new Set<string>();
  for (const [i, c] of (input.clauses ?? []).entries()) {
    if (c.capYuan && c.floorYuan && Number(c.floorYuan) > Number(c.capYuan))
      throw fieldError(`body.clauses.${i}.floorYuan`, 'above capYuan');
    if (c.id && ordinals.has(c.id)) throw fieldError(`body.clauses.${i}.id`, 'duplicate clause id');
    if (c.amountFormula?.trim()) {
      try {
        parseFormula(c.amountFormula);
      } catch (e) {
        if (e instanceof FormulaError) throw fieldError(`body.clauses.${i}.amountFormula`, e.message);
        throw e;
      }
    }
    if (c.id) ordinals.add(c.id);
  }
}

function policyValues(input: PolicyInput, org: { name: string }, regionCode: string) {
  const bodyHtml = sanitizeHtml(input.bodyHtml ?? '');
  const bodyText = htmlToText(bodyHtml);
  const issuerName = input.issuerName?.trim() || org.name;
  return {
    title: input.title,
    docNo: input.docNo ?? '',
    issuerOrgId: input.issuerOrgId,
    issuerName,
    level: input.level,
    regionCode,
    publishedOn: input.publishedOn ?? null,
    effectiveFrom: input.effectiveFrom ?? null,
    expiresOn: input.expiresOn ?? null,
    applyFrom: input.applyFrom ?? null,
    applyTo: input.applyTo ?? null,
    summary: input.summary ?? '',
    bodyHtml,
    bodyText,
    attachments: input.attachments ?? [],
    tags: input.tags ?? [],
    channel: input.channel,
    budgetCapYuan: input.budgetCapYuan ?? null,
    publicityDays: input.publicityDays ?? 5,
    // working days by default: the payout minimum is 5 working days (issue #18; rules.md §5.3)
    publicityDayMode: input.publicityDayMode ?? 'working',
    searchVector: searchVectorSql({
      title: input.title,
      issuer: issuerName,
      docNo: input.docNo ?? '',
      summary: input.summary ?? '',
      tags: input.tags ?? [],
      body: bodyText,
    }) as unknown as string,
  };
}

function clauseValues(policyId: string, c: ClauseInput, ordinal: number) {
  return {
    policyId,
    ordinal,
    title: c.title,
    benefitType: c.benefitType,
    eligibility: c.eligibility,
    amountFormula: c.amountFormula?.trim() || null,
    capYuan: c.capYuan ?? null,
    floorYuan: c.floorYuan ?? null,
    oncePerEnterprise: c.oncePerEnterprise ?? true,
    stackingGroup: c.stackingGroup?.trim() || null,
    dataSources: c.dataSources ?? [],
    needsConsent: c.needsConsent ?? false,
    factsYear: c.factsYear ?? 'previous',
    minSource: c.minSource ?? null,
    examples: c.examples ?? [],
  };
}

async function writeClauses(tx: Tx, policyId: string, clauses: ClauseInput[]) {
  const existing = await tx
    .select({ id: policyClauses.id })
    .from(policyClauses)
    .where(eq(policyClauses.policyId, policyId));
  const keep = new Set(clauses.map((c) => c.id).filter((id): id is string => !!id));
  const have = new Set(existing.map((e) => e.id));
  for (const [i, c] of clauses.entries()) {
    if (c.id && !have.has(c.id)) throw fieldError(`body.clauses.${i}.id`, 'not a clause of this policy');
  }
  const gone = existing.filter((e) => !keep.has(e.id)).map((e) => e.id);
  if (gone.length) await tx.delete(policyClauses).where(inArray(policyClauses.id, gone));
  // move kept clauses out of the way of the ordinal unique index, then write in order
  if (keep.size)
    await tx
      .update(policyClauses)
      .set({ ordinal: sql`${policyClauses.ordinal} + 1000` })
      .where(eq(policyClauses.policyId, policyId));
  for (const [i, c] of clauses.entries()) {
    const values = clauseValues(policyId, c, i + 1);
    if (c.id) await tx.update(policyClauses).set(values).where(eq(policyClauses.id, c.id));
    else await tx.insert(policyClauses).values(values);
  }
}

function newCode(today: string) {
  return `P${today.slice(0, 4)}-${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
}

export async function createPolicy(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  input: PolicyInput,
  today: string,
) {
  checkDates(input);
  const { org, regionCode } = await resolveIssuer(tx, deps, scope, input);
  await checkAttachments(tx, scope, input.attachments);
  const code = input.code ?? newCode(today);
  const [dupe] = await tx.select({ id: policies.id }).from(policies).where(eq(policies.code, code));
  if (dupe) throw new AppError('DUPLICATE', { field: 'code' });
  const [row] = await tx
    .insert(policies)
    .values({ ...policyValues(input, org, regionCode), code, createdBy: actor.userId, updatedBy: actor.userId })
    .returning({ id: policies.id, code: policies.code, regionCode: policies.regionCode });
  await writeClauses(tx, row!.id, input.clauses ?? []);
  await deps.audit.write(tx, actor, {
    action: 'policy.create',
    entity: 'policy',
    entityId: row!.id,
    regionCode: row!.regionCode,
    summary: { after: { code: row!.code, title: input.title, clauses: input.clauses?.length ?? 0 } },
  });
  return row!.id;
}

export async function updatePolicy(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  id: string,
  version: number,
  input: PolicyInput,
) {
  const current = await q.getPolicy(tx, q.policyScope(deps.regions, scope), id);
  if (!current) throw new AppError('NOT_FOUND');
  if (!q.canAuthor(scope, current.policy)) throw new AppError('FORBIDDEN');
  if (!isEditable(current.policy.status))
    throw new AppError('POLICY_NOT_EDITABLE', statusParams(current.policy.status));
  checkDates(input);
  const { org, regionCode } = await resolveIssuer(tx, deps, scope, {
    ...input,
    regionCode: input.regionCode ?? current.policy.regionCode,
  });
  await checkAttachments(tx, scope, input.attachments);
  if (input.code && input.code !== current.policy.code) {
    const [dupe] = await tx.select({ id: policies.id }).from(policies).where(eq(policies.code, input.code));
    if (dupe) throw new AppError('DUPLICATE', { field: 'code' });
  }
  const [row] = await tx
    .update(policies)
    .set({
      ...policyValues(input, org, regionCode),
      code: input.code ?? current.policy.code,
      version: sql`${policies.version} + 1`,
      updatedBy: actor.userId,
      updatedAt: new Date(),
    })
    .where(and(eq(policies.id, id), eq(policies.version, version)))
    .returning({ id: policies.id, version: policies.version });
  if (!row) throw new AppError('POLICY_VERSION_CONFLICT', { version, current: current.policy.version });
  await writeClauses(tx, id, input.clauses ?? []);
  const changed: string[] = [];
  const before = current.policy as Record<string, unknown>;
  for (const k of ['title', 'docNo', 'issuerOrgId', 'level', 'channel', 'summary', 'budgetCapYuan', 'expiresOn']) {
    if (k in input && before[k] !== (input as unknown as Record<string, unknown>)[k]) changed.push(k);
  }
  await deps.audit.write(tx, actor, {
    action: 'policy.update',
    entity: 'policy',
    entityId: id,
    regionCode,
    summary: { version: row.version, changed, clauses: input.clauses?.length ?? 0 },
  });
  return row;
}

export async function deletePolicy(tx: Tx, deps: AppDeps, actor: Actor, scope: Scope, id: string) {
  const current = await q.getPolicy(tx, q.policyScope(deps.regions, scope), id);
  if (!current) throw new AppError('NOT_FOUND');
  if (!q.canAuthor(scope, current.policy)) throw new AppError('FORBIDDEN');
  if (!isDeletable(current.policy.status))
    throw new AppError('POLICY_NOT_EDITABLE', statusParams(current.policy.status));
  await tx.delete(policies).where(eq(policies.id, id));
  await deps.audit.write(tx, actor, {
    action: 'policy.delete',
    entity: 'policy',
    entityId: id,
    regionCode: current.policy.regionCode,
    summary: { before: { code: current.policy.code, title: current.policy.title } },
  });
}

const statusParams = (status: PolicyStatus) => ({
  status,
  statusZh: STATUS_LABELS[status]['zh-CN'],
});
const transitionParams = (from: PolicyStatus, action: PolicyAction) => ({
  from,
  action,
  fromZh: STATUS_LABELS[from]['zh-CN'],
  actionZh: ACTION_LABELS[action]['zh-CN'],
});

export async function transitionPolicy(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  id: string,
  action: PolicyAction,
  reason: string | undefined,
  today: string,
) {
  const current = await q.getPolicy(tx, q.policyScope(deps.regions, scope), id);
  if (!current) throw new AppError('NOT_FOUND');
  const p = current.policy;
  const step = policyStep(p.status, action);
  if (!step) throw new AppError('POLICY_TRANSITION_INVALID', transitionParams(p.status, action));
  const allowed =
    step.side === 'manage'
      ? can(scope.role, 'policies:manage') && q.canAuthor(scope, p)
      : can(scope.role, 'policies:review') && q.canReview(scope, p);
  if (!allowed) throw new AppError('FORBIDDEN');
  if (step.needsReason && !reason?.trim()) throw fieldError('body.reason', 'required');
  if (action === 'submit' && current.clauses.length === 0 && p.channel !== 'ordinary')
    throw new AppError('POLICY_NEEDS_CLAUSES');
  checkMakerChecker(actor, p, action);
  if (action === 'publish') checkExamples(current.clauses);
  const row = await applyStep(tx, deps, actor, p, step, reason, today);
  const publishing = step.to === 'published';
  let matchJobId: string | null = null;
  if (publishing) {
    // H3's matching hook: records the matching job in this transaction; it is sent once the commit is visible.
    matchJobId = await onPolicyPublished(tx, id, actor);
  }
  return { ...row, matchJobId };
}

type PolicyRow = typeof policies.$inferSelect;
type Step = NonNullable<ReturnType<typeof policyStep>>;

const STEP_WORDS: Partial<Record<PolicyAction, [string, string]>> = {
  approve: ['审核通过', 'approve it'],
  publish: ['发布', 'publish it'],
};

/**
 * Maker–checker (decision 0020): `approve` must come from someone other than the author (creator), the submitter
 * and whoever last edited the policy under review; `publish` from someone other than the author and the
 * submitter (the approver may publish). The system actor (no user) is not checked.
 */
export function checkMakerChecker(actor: Actor, p: PolicyRow, action: PolicyAction) {
  if (!actor.userId) return;
  const words = STEP_WORDS[action];
  if (!words) return;
  const makers = [p.createdBy, p.submittedBy];
  if (action === 'approve' && p.status === 'review') makers.push(p.updatedBy);
  if (makers.includes(actor.userId))
    throw new AppError(
      'SAME_PERSON_APPROVAL',
      { stepZh: words[0], stepEn: words[1] },
      { action, createdBy: p.createdBy, submittedBy: p.submittedBy },
    );
}

/**
 * The workflow actions of the current status that the given user would be refused by maker–checker or by failing
 * examples (the UI disables them and shows the reason).
 */
export function refusedActions(userId: string | null, p: PolicyRow, clauses: q.ClauseRow[]) {
  const out: { action: PolicyAction; error: AppError }[] = [];
  for (const action of actionsFrom(p.status)) {
    try {
      checkMakerChecker({ ...SYSTEM_ACTOR, userId }, p, action);
      if (action === 'publish') checkExamples(clauses);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      out.push({ action, error: e });
    }
  }
  return out;
}

/** Publishing is refused while any example case of any clause fails; the message names them. */
function checkExamples(clauses: q.ClauseRow[]) {
  const failing: { clause: string; example: string; mismatches: string[] }[] = [];
  for (const c of clauses) {
    for (const r of runExamples(c)) {
      if (!r.passed) failing.push({ clause: c.title, example: r.name, mismatches: r.mismatches });
    }
  }
  if (failing.length)
    throw new AppError(
      'POLICY_EXAMPLES_FAILING',
      { names: failing.map((f) => `「${f.clause}」${f.example}`).join('；') },
      { failing },
    );
}

/**
 * Takes a workflow step on a policy read in this transaction: the status update (guarded by the status read, so
 * a concurrent step loses with 409) and its `policy.transition` audit row. Shared by the workflow route and the
 * daily expiry job. The system actor (no user) leaves the reviewer fields as they were.
 */
async function applyStep(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  p: PolicyRow,
  step: Step,
  reason: string | undefined,
  today: string,
  auditExtra: Record<string, unknown> = {},
) {
  const publishing = step.to === 'published';
  const [row] = await tx
    .update(policies)
    .set({
      status: step.to,
      statusReason: reason?.trim() || null,
      version: sql`${policies.version} + 1`,
      updatedBy: actor.userId,
      updatedAt: new Date(),
      ...(step.side === 'review' && actor.userId ? { reviewedBy: actor.userId, reviewedAt: new Date() } : {}),
      ...(step.action === 'submit' ? { submittedBy: actor.userId, submittedAt: new Date() } : {}),
      ...(step.action === 'approve' ? { approvedBy: actor.userId, approvedAt: new Date() } : {}),
      ...(publishing ? { publishedBy: actor.userId } : {}),
      ...(publishing && !p.publishedOn ? { publishedOn: today } : {}),
    })
    .where(and(eq(policies.id, p.id), eq(policies.status, p.status)))
    .returning({ id: policies.id, status: policies.status, version: policies.version });
  if (!row) throw new AppError('POLICY_TRANSITION_INVALID', transitionParams(p.status, step.action));
  await deps.audit.write(tx, actor, {
    action: 'policy.transition',
    entity: 'policy',
    entityId: p.id,
    regionCode: p.regionCode,
    summary: { action: step.action, from: p.status, to: step.to, reason: reason?.trim() || null, ...auditExtra },
  });
  return row;
}

/** The daily job that expires published policies past their 失效日期 (decision 0012). */
export const JOB_EXPIRE = 'policies.expire';

/**
 * Moves every published policy whose `expiresOn` is before `today` (Asia/Shanghai) to `expired` — the workflow's
 * `expire` step taken by the system actor, one transaction per policy, with the same audit row as the manual
 * action (its summary adds `auto: 'expiresOn'` and the date). A policy changed meanwhile (withdrawn, expired by
 * hand) is skipped. Returns the ids expired.
 */
export async function expirePastDue(
  deps: AppDeps,
  today: string = todayShanghai(deps.clock.now()),
  progress?: (percent: number, message?: string) => Promise<void>,
): Promise<{ expired: string[]; skipped: number }> {
  const { db } = deps.database;
  const due = await db
    .select({ id: policies.id })
    .from(policies)
    .where(and(eq(policies.status, 'published'), sql`${policies.expiresOn} < ${today}`))
    .orderBy(policies.expiresOn, policies.id);
  const step = policyStep('published', 'expire')!;
  const expired: string[] = [];
  let skipped = 0;
  for (const [i, { id }] of due.entries()) {
    const done = await db.transaction(async (tx) => {
      const [p] = await tx.select().from(policies).where(eq(policies.id, id)).for('update');
      if (p?.status !== 'published' || !isPastExpiry(p.expiresOn, today)) return false;
      await applyStep(tx, deps, SYSTEM_ACTOR, p, step, undefined, today, { auto: 'expiresOn', expiresOn: p.expiresOn });
      return true;
    });
    if (done) expired.push(id);
    else skipped++;
    // progress between transactions, never inside one (PGlite: one connection)
    if (progress && (i % 50 === 49 || i === due.length - 1)) await progress(((i + 1) / due.length) * 100);
  }
  return { expired, skipped };
}
