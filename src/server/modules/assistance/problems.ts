/** Problems (诉求): intake with duplicate suggestions, the workflow actions, the timeline. */
import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { can } from '../../../domain/access.ts';
import {
  addCalendarDays,
  addDays,
  type Complexity,
  daysBetween,
  deadlinesFor,
  extensionLastDay,
  extensionStillAllowed,
  shiftForPause,
} from '../../../domain/assistance/deadlines.ts';
import {
  ACTION_LABELS,
  type ActorRelation,
  allowedActions,
  type ClosureCode,
  checkTransition,
  type ProblemAction,
  type ProblemState,
  type Rating,
  STATE_LABELS,
} from '../../../domain/assistance/workflow.ts';
import type { Executor, Tx } from '../../db/client.ts';
import { assistanceProblemEvents, assistanceProblems, enterprises, files, orgs, users } from '../../db/schema/index.ts';
import type { Actor } from '../../platform/audit.ts';
import type { AppDeps } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { likePattern } from '../../platform/paging.ts';
import { recipientsFor } from '../identity/service.ts';
import { type Caller, canManageIn, canSuperviseIn, enterpriseVisible, problemScope } from './access.ts';
import { settingsFor } from './settings.ts';

export type ProblemRow = typeof assistanceProblems.$inferSelect;

/** An AppError answered with 409 (conflicts of state, version, time windows). */
export function conflict(code: ConstructorParameters<typeof AppError>[0], params: Record<string, unknown> = {}) {
  const e = new AppError(code, params);
  (e as { status: number }).status = 409;
  return e;
}

export function todayOf(now: Date) {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** End of a China-Standard-Time day as an instant. */
export function endOfDay(day: string) {
  return new Date(`${addCalendarDays(day, 1)}T00:00:00+08:00`);
}

export function isOverdue(p: Pick<ProblemRow, 'status' | 'dueOn' | 'stoppedAt'>, today: string) {
  return ['collected', 'assigned', 'in_progress'].includes(p.status) && !p.stoppedAt && p.dueOn < today;
}

export function relationOf(c: Caller, p: ProblemRow): ActorRelation {
  return {
    isFirm: c.role === 'enterprise' && !!c.enterpriseId && p.enterpriseId === c.enterpriseId,
    isHandler: can(c.role, 'assistance:handle') && !!c.orgId && p.orgId === c.orgId,
    canManage: canManageIn(c, p.regionCode),
    canSupervise: canSuperviseIn(c, p.regionCode),
    isSubmitter: p.submittedBy === c.userId,
  };
}

const snapshotOf = (p: ProblemRow) => ({
  status: p.status as ProblemState,
  stopped: !!p.stoppedAt,
  extensionRequested: p.extensionStatus === 'requested',
});

export async function loadVisible(ex: Executor, c: Caller, id: string) {
  const [p] = await ex
    .select()
    .from(assistanceProblems)
    .where(and(eq(assistanceProblems.id, id), problemScope(c)));
  if (!p) throw new AppError('NOT_FOUND');
  return p;
}

// ---------------------------------------------------------------- list

export interface ProblemFilter {
  status?: string;
  category?: string;
  q?: string;
  overdue?: boolean;
  enterpriseId?: string;
  orgId?: string;
  region?: string[];
  commonIssueId?: string;
}

export async function listProblems(
  ex: Executor,
  c: Caller,
  f: ProblemFilter,
  page: { page: number; pageSize: number; sort?: string; order?: 'asc' | 'desc' },
  today: string,
) {
  const p = assistanceProblems;
  const conds: SQL[] = [problemScope(c)];
  if (f.status) conds.push(eq(p.status, f.status as ProblemState));
  if (f.category) conds.push(eq(p.category, f.category));
  if (f.enterpriseId) conds.push(eq(p.enterpriseId, f.enterpriseId));
  if (f.orgId) conds.push(eq(p.orgId, f.orgId));
  if (f.commonIssueId) conds.push(eq(p.commonIssueId, f.commonIssueId));
  if (f.region) conds.push(inArray(p.regionCode, f.region));
  if (f.q) {
    const like = likePattern(f.q);
    conds.push(sql`(${p.title} ilike ${like} or ${p.code} ilike ${like} or ${p.enterpriseName} ilike ${like})`);
  }
  if (f.overdue !== undefined) {
    const od = sql`(${p.status} in ('collected','assigned','in_progress') and ${p.stoppedAt} is null and ${p.dueOn} < ${today}::date)`;
    conds.push(f.overdue ? od : sql`not ${od}`);
  }
  const where = and(...conds);
  const sortCol =
    page.sort === 'dueOn'
      ? p.dueOn
      : page.sort === 'priority'
        ? sql`case ${p.priority} when 'urgent' then 0 when 'high' then 1 else 2 end`
        : page.sort === 'code'
          ? p.code
          : p.receivedAt;
  const order = page.order ?? (page.sort === 'dueOn' || page.sort === 'priority' ? 'asc' : 'desc');
  const [rows, [{ n } = { n: 0 }]] = await Promise.all([
    ex
      .select({ p, orgName: orgs.name })
      .from(p)
      .leftJoin(orgs, eq(orgs.id, p.orgId))
      .where(where)
      .orderBy(order === 'asc' ? asc(sortCol) : desc(sortCol), desc(p.code))
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
    ex.select({ n: sql<number>`count(*)::int` }).from(p).where(where),
  ]);
  return {
    total: Number(n),
    items: rows.map(({ p: r, orgName }) => ({
      id: r.id,
      code: r.code,
      title: r.title,
      category: r.category,
      status: r.status,
      priority: r.priority,
      complexity: r.complexity,
      source: r.source,
      enterpriseId: r.enterpriseId,
      enterpriseName: r.enterpriseName,
      regionCode: r.regionCode,
      orgId: r.orgId,
      orgName: orgName ?? null,
      handlerName: r.handlerName,
      receivedAt: r.receivedAt.toISOString(),
      dueAt: endOfDay(r.dueOn).toISOString(),
      dueOn: r.dueOn,
      overdue: isOverdue(r, today),
      stopped: !!r.stoppedAt,
      escalationLevel: r.escalationLevel,
      rating: r.rating,
    })),
  };
}

// ---------------------------------------------------------------- intake

export interface CreateInput {
  enterpriseId?: string;
  source: 'cadre' | 'enterprise' | 'symposium' | 'hotline';
  category: string;
  title: string;
  description: string;
  priority?: 'normal' | 'high' | 'urgent';
  complexity?: Complexity;
  attachmentFileIds?: string[];
}

/** Character bigrams of a text (CJK has no word breaks; pg_trgm ignores CJK under the C locale). */
function bigrams(text: string) {
  const chars = [...text.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '')];
  const out = new Map<string, number>();
  for (let i = 0; i + 1 < chars.length; i++) {
    const g = chars[i]! + chars[i + 1]!;
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/** Dice coefficient of the two texts' character bigrams (0..1). */
export function textSimilarity(a: string, b: string) {
  const x = bigrams(a);
  const y = bigrams(b);
  let common = 0;
  let nx = 0;
  let ny = 0;
  for (const [g, n] of x) {
    nx += n;
    common += Math.min(n, y.get(g) ?? 0);
  }
  for (const n of y.values()) ny += n;
  return nx + ny === 0 ? 0 : (2 * common) / (nx + ny);
}

/** Same firm, same category, similar text (character-bigram Dice ≥ 0.3), best first. */
export async function findDuplicates(
  ex: Executor,
  c: Caller,
  q: { enterpriseId: string; category?: string; text: string; excludeId?: string },
) {
  const p = assistanceProblems;
  const rows = await ex
    .select({ id: p.id, code: p.code, title: p.title, description: p.description, status: p.status })
    .from(p)
    .where(
      and(
        problemScope(c),
        eq(p.enterpriseId, q.enterpriseId),
        q.category ? eq(p.category, q.category) : undefined,
        q.excludeId ? sql`${p.id} <> ${q.excludeId}` : undefined,
      ),
    )
    .orderBy(desc(p.receivedAt))
    .limit(500);
  return rows
    .map((r) => ({
      id: r.id,
      code: r.code,
      title: r.title,
      status: r.status,
      similarity:
        Math.round(
          Math.max(textSimilarity(r.title, q.text), textSimilarity(`${r.title} ${r.description}`, q.text)) * 100,
        ) / 100,
    }))
    .filter((r) => r.similarity >= 0.3)
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, 5);
}

async function checkFiles(ex: Executor, c: Caller, ids: string[]) {
  if (ids.length === 0) return;
  const rows = await ex
    .select({ id: files.id })
    .from(files)
    .where(and(inArray(files.id, ids), eq(files.ownerId, c.userId)));
  if (rows.length !== new Set(ids).size) {
    throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'body.attachmentFileIds', message: 'file' }] });
  }
}

export async function createProblem(deps: AppDeps, tx: Tx, c: Caller, actor: Actor, input: CreateInput) {
  const enterpriseId = c.role === 'enterprise' ? c.enterpriseId : input.enterpriseId;
  if (!enterpriseId) {
    throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'body.enterpriseId', message: 'required' }] });
  }
  const firm = await enterpriseVisible(tx, c, enterpriseId);
  if (!firm) throw new AppError('NOT_FOUND');
  const files_ = input.attachmentFileIds ?? [];
  await checkFiles(tx, c, files_);
  const now = deps.clock.now();
  const today = todayOf(now);
  const st = await settingsFor(tx, deps.regions, firm.regionCode);
  const complexity = input.complexity ?? 'ordinary';
  const d = deadlinesFor(today, complexity, st.deadlineProfile);
  const source = c.role === 'enterprise' ? 'enterprise' : input.source;
  const seq = await tx.execute(sql`select nextval('assistance_problem_seq')::bigint as n`);
  const n = Number((seq as unknown as { rows: { n: string | number }[] }).rows[0]!.n);
  const code = `WQ${today.slice(0, 4)}-${String(n).padStart(6, '0')}`;
  const [p] = await tx
    .insert(assistanceProblems)
    .values({
      code,
      enterpriseId,
      enterpriseName: firm.name,
      regionCode: firm.regionCode,
      source,
      category: input.category,
      title: input.title,
      description: input.description,
      priority: input.priority ?? 'normal',
      complexity,
      attachmentFileIds: files_,
      submittedBy: c.userId,
      receivedAt: now,
      receivedOn: today,
      assignBy: d.assignBy,
      firstFeedbackBy: d.firstFeedbackBy,
      dueOn: d.resolveBy,
    })
    .returning();
  if (files_.length) {
    await tx.update(files).set({ entity: 'assistance_problem', entityId: p!.id }).where(inArray(files.id, files_));
  }
  await addEvent(tx, p!.id, c, now, 'submit', `${sourceLabel(source)}：${input.title}`, true, { source });
  await deps.audit.write(tx, actor, {
    action: 'assistance.problem.create',
    entity: 'assistance_problem',
    entityId: p!.id,
    regionCode: p!.regionCode,
    summary: { code, category: input.category, source },
  });
  // tell the campaign office of the region (交办 within the profile's first deadline)
  const office = await recipientsFor(tx, { orgIds: [], regionAdminsOf: [firm.regionCode] });
  await deps.notifications.notify(
    tx,
    office.map((r) => r.id),
    {
      kind: 'assistance.problem.new',
      title: `【企业诉求】${firm.name}：${input.title}`,
      body: `编号 ${code}，请于 ${d.assignBy} 前交办。`,
      link: `/assistance/problems/${p!.id}`,
      entity: 'assistance_problem',
      entityId: p!.id,
    },
  );
  const duplicates = await findDuplicates(tx, c, {
    enterpriseId,
    category: input.category,
    text: `${input.title} ${input.description}`,
    excludeId: p!.id,
  });
  return { problem: p!, duplicates };
}

function sourceLabel(s: string) {
  return { cadre: '干部代为提交', enterprise: '企业提交', symposium: '座谈会收集', hotline: '热线转入' }[s] ?? s;
}

async function addEvent(
  ex: Executor,
  problemId: string,
  c: Caller | null,
  at: Date,
  action: string,
  note: string,
  visibleToFirm: boolean,
  data: Record<string, unknown> = {},
) {
  await ex.insert(assistanceProblemEvents).values({
    problemId,
    action,
    actorId: c?.userId ?? null,
    actorName: c ? c.auth.user.displayName : '系统',
    at,
    note,
    visibleToFirm,
    data,
  });
}

// ---------------------------------------------------------------- detail

/**
 * The last day of the firm's confirmation window when it is still open (a resolved problem waits that long for the
 * firm to confirm or contest before the office may close it unrated), else null. One rule for the `close` action
 * and for the actions a page offers (issue #18: 办结归档 was offered during the window and always failed).
 */
function confirmWindowUntil(
  p: { status: string; resolvedAt: Date | null },
  confirmWindowDays: number,
  today: string,
): string | null {
  if (p.status !== 'resolved' || !p.resolvedAt) return null;
  const until = addCalendarDays(todayOf(p.resolvedAt), confirmWindowDays);
  return today <= until ? until : null;
}

export async function problemDetail(deps: AppDeps, ex: Executor, c: Caller, id: string) {
  const p = await loadVisible(ex, c, id);
  const today = todayOf(deps.clock.now());
  const rel = relationOf(c, p);
  const events = await ex
    .select()
    .from(assistanceProblemEvents)
    .where(
      and(
        eq(assistanceProblemEvents.problemId, id),
        c.role === 'enterprise' ? eq(assistanceProblemEvents.visibleToFirm, true) : undefined,
      ),
    )
    .orderBy(asc(assistanceProblemEvents.at), asc(assistanceProblemEvents.id));
  const [org] = p.orgId ? await ex.select({ name: orgs.name }).from(orgs).where(eq(orgs.id, p.orgId)) : [];
  const attachments = p.attachmentFileIds.length
    ? await ex
        .select({ id: files.id, originalName: files.originalName, mime: files.mime, size: files.size })
        .from(files)
        .where(inArray(files.id, p.attachmentFileIds))
    : [];
  const closeWindowDays = (await settingsFor(ex, deps.regions, p.regionCode)).confirmWindowDays;
  return present(p, org?.name ?? null, today, {
    attachments,
    events: events.map((e) => ({
      id: e.id,
      action: e.action,
      actorName: e.actorName,
      at: e.at.toISOString(),
      note: e.note,
      visibleToFirm: e.visibleToFirm,
      data: e.data,
    })),
    actions: allowedActions(snapshotOf(p), rel).filter(
      (a) => a !== 'close' || !confirmWindowUntil(p, closeWindowDays, today),
    ),
    internal: c.role !== 'enterprise',
  });
}

function present(
  p: ProblemRow,
  orgName: string | null,
  today: string,
  extra: { events: unknown[]; actions: string[]; internal: boolean; attachments: unknown[] },
) {
  return {
    id: p.id,
    code: p.code,
    enterpriseId: p.enterpriseId,
    enterpriseName: p.enterpriseName,
    regionCode: p.regionCode,
    source: p.source,
    category: p.category,
    title: p.title,
    description: p.description,
    priority: p.priority,
    complexity: p.complexity,
    attachmentFileIds: p.attachmentFileIds,
    attachments: extra.attachments,
    status: p.status,
    orgId: p.orgId,
    orgName,
    handlerName: p.handlerName,
    receivedAt: p.receivedAt.toISOString(),
    deadlines: {
      assignBy: p.assignBy,
      firstFeedbackBy: p.firstFeedbackBy,
      dueOn: p.dueOn,
      dueAt: endOfDay(p.dueOn).toISOString(),
    },
    overdue: isOverdue(p, today),
    stopped: p.stoppedAt ? { since: p.stoppedAt.toISOString(), reason: p.stopReason, note: p.stopNote } : null,
    extension: {
      status: p.extensionStatus,
      days: p.extensionDays,
      reason: extra.internal ? p.extensionReason : null,
    },
    escalationLevel: p.escalationLevel,
    reopenCount: p.reopenCount,
    answer: p.answer,
    closureCode: p.closureCode,
    rating: p.rating,
    ratingComment: p.ratingComment,
    confirmedByFirm: p.confirmedByFirm,
    resolvedAt: p.resolvedAt?.toISOString() ?? null,
    closedAt: p.closedAt?.toISOString() ?? null,
    commonIssueId: p.commonIssueId,
    version: p.version,
    events: extra.events,
    actions: extra.actions,
  };
}

// ---------------------------------------------------------------- actions

export type ActionInput =
  | { action: 'assign'; version: number; orgId?: string; handlerUserId?: string; complexity?: Complexity }
  | { action: 'accept'; version: number }
  | { action: 'feedback'; version: number; note: string }
  | { action: 'resolve'; version: number; answer: string; closureCode: ClosureCode }
  | { action: 'rate'; version: number; rating: Rating; comment?: string }
  | { action: 'close'; version: number }
  | { action: 'transfer'; version: number; orgId: string; reason: string }
  | { action: 'return'; version: number; reason: string }
  | { action: 'request_extension'; version: number; days: number; reason: string }
  | { action: 'approve_extension'; version: number }
  | { action: 'reject_extension'; version: number; reason: string }
  | {
      action: 'stop_clock';
      version: number;
      reason: 'awaiting_firm_materials' | 'awaiting_other_department';
      note: string;
    }
  | { action: 'resume_clock'; version: number }
  | { action: 'escalate'; version: number; note: string }
  | { action: 'withdraw'; version: number; reason?: string };

const WHY = {
  state: { zh: '', en: '' },
  condition: { zh: '（前置条件不满足）', en: ' (a precondition is not met)' },
  actor: { zh: '（您不是有权执行该操作的一方）', en: ' (you are not the party who may do it)' },
} as const;

function invalid(status: ProblemState, action: ProblemAction, why: keyof typeof WHY) {
  return conflict('ASSISTANCE_ACTION_INVALID', {
    state: STATE_LABELS[status]['zh-CN'],
    stateEn: STATE_LABELS[status].en,
    action: ACTION_LABELS[action]['zh-CN'],
    actionEn: ACTION_LABELS[action].en,
    why: WHY[why].zh,
    whyEn: WHY[why].en,
  });
}

async function orgInReach(ex: Executor, orgId: string, regionCode: string, deps: AppDeps) {
  const [o] = await ex.select().from(orgs).where(eq(orgs.id, orgId));
  if (!o) throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'body.orgId', message: 'org' }] });
  // a handling unit of the problem's region or one of its ancestors (a city bureau handles district problems)
  const chain = [regionCode, ...deps.regions.ancestors(regionCode)];
  const ok = chain.includes(o.regionCode) || deps.regions.subtree(regionCode).includes(o.regionCode);
  if (!ok) throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'body.orgId', message: 'org region' }] });
  return o;
}

/**
 * Department handlers a caller may name when assigning to `orgId` (GET /assistance/handlers): the same reach as the
 * `assign` action — a department handler only its own org; a manager orgs of its region scope or of an ancestor
 * region (a city bureau handles district problems, see orgInReach). Anything else is NOT_FOUND (no probing).
 */
export async function handlersFor(ex: Executor, deps: AppDeps, c: Caller, orgId: string) {
  if (!can(c.role, 'assistance:manage') && !can(c.role, 'assistance:handle')) throw new AppError('FORBIDDEN');
  const [o] = await ex.select().from(orgs).where(eq(orgs.id, orgId));
  if (!o) throw new AppError('NOT_FOUND');
  let ok = false;
  if (c.role === 'department_handler') ok = c.orgId === orgId;
  else if (can(c.role, 'assistance:manage')) {
    ok =
      c.regionCodes.includes(o.regionCode) ||
      c.regionCodes.some((r) => deps.regions.ancestors(r).includes(o.regionCode));
  }
  if (!ok) throw new AppError('NOT_FOUND');
  const items = await ex
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.role, 'department_handler'), eq(users.status, 'active')))
    .orderBy(asc(users.displayName));
  return { items };
}

export async function applyAction(deps: AppDeps, tx: Tx, c: Caller, actor: Actor, id: string, input: ActionInput) {
  const p = await loadVisible(tx, c, id);
  const now = deps.clock.now();
  const today = todayOf(now);
  const check = checkTransition(snapshotOf(p), input.action, relationOf(c, p));
  if (!check.ok) throw invalid(p.status as ProblemState, input.action, check.reason);
  if (p.version !== input.version) throw conflict('VERSION_CONFLICT', { current: p.version });
  const st = await settingsFor(tx, deps.regions, p.regionCode);
  const mode = st.deadlineProfile.mode;
  const set: Partial<typeof assistanceProblems.$inferInsert> = { status: check.to };
  let note = '';
  let visibleToFirm = true;
  let notify: { orgIds: string[]; regionAdminsOf: string[]; firm?: boolean; title: string } | null = null;
  const data: Record<string, unknown> = {};

  const withinDisputeWindow = () => {
    const since = todayOf(p.assignedAt ?? now);
    if (daysBetween(since, today, 'working') > st.disputeWindowDays) {
      throw conflict('DISPUTE_WINDOW_CLOSED', { days: st.disputeWindowDays });
    }
  };

  switch (input.action) {
    case 'assign': {
      const orgId = input.orgId ?? st.categoryOrgs[p.category] ?? null;
      if (!orgId) {
        throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'body.orgId', message: 'required' }] });
      }
      const o = await orgInReach(tx, orgId, p.regionCode, deps);
      let handlerName: string | null = null;
      if (input.handlerUserId) {
        const [u] = await tx
          .select()
          .from(users)
          .where(and(eq(users.id, input.handlerUserId), eq(users.orgId, orgId)));
        if (!u) {
          throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'body.handlerUserId', message: 'user' }] });
        }
        handlerName = u.displayName;
      }
      Object.assign(set, {
        orgId,
        handlerUserId: input.handlerUserId ?? null,
        handlerName,
        assignedAt: now,
      });
      if (input.complexity && input.complexity !== p.complexity) {
        const d = deadlinesFor(p.receivedOn, input.complexity, st.deadlineProfile);
        Object.assign(set, { complexity: input.complexity, dueOn: d.resolveBy });
      }
      note = `交办至 ${o.name}${handlerName ? `（责任人 ${handlerName}）` : ''}`;
      data.orgId = orgId;
      notify = { orgIds: [orgId], regionAdminsOf: [], title: `【交办】${p.code} ${p.title}` };
      break;
    }
    case 'accept':
      set.acceptedAt = now;
      if (!p.handlerUserId) Object.assign(set, { handlerUserId: c.userId, handlerName: c.auth.user.displayName });
      note = '已签收，开始办理';
      break;
    case 'feedback':
      if (!p.firstFeedbackAt) set.firstFeedbackAt = now;
      note = input.note;
      break;
    case 'resolve':
      Object.assign(set, {
        answer: input.answer,
        closureCode: input.closureCode,
        resolvedAt: now,
        firstFeedbackAt: p.firstFeedbackAt ?? now,
      });
      note = input.answer;
      data.closureCode = input.closureCode;
      notify = { orgIds: [], regionAdminsOf: [], firm: true, title: `【诉求已办结】${p.code} ${p.title}，请评价` };
      break;
    case 'rate': {
      Object.assign(set, { rating: input.rating, ratingComment: input.comment ?? null, ratedAt: now });
      data.rating = input.rating;
      if (input.rating === 'unsatisfied') {
        // 不满意 reopens: back in progress with a new deadline counted from today
        const d = deadlinesFor(today, p.complexity as Complexity, st.deadlineProfile);
        Object.assign(set, {
          status: 'in_progress',
          confirmedByFirm: false,
          resolvedAt: null,
          closureCode: null,
          dueOn: d.resolveBy,
          reopenCount: p.reopenCount + 1,
          extensionStatus: 'none',
        });
        note = `企业评价：不满意，重新办理（新时限 ${d.resolveBy}）${input.comment ? `。${input.comment}` : ''}`;
        notify = {
          orgIds: p.orgId ? [p.orgId] : [],
          regionAdminsOf: [p.regionCode],
          title: `【不满意重办】${p.code} ${p.title}`,
        };
      } else {
        set.confirmedByFirm = true;
        note = `企业评价：${input.rating === 'satisfied' ? '满意' : '基本满意'}${input.comment ? `。${input.comment}` : ''}`;
      }
      break;
    }
    case 'close':
      // the firm confirms or contests a resolution first (lessons.md §5 item 1); unrated, the office waits
      {
        const until = confirmWindowUntil(p, st.confirmWindowDays, today);
        if (until) throw conflict('CONFIRM_WINDOW_OPEN', { days: st.confirmWindowDays, until });
      }
      set.closedAt = now;
      note = '销号';
      break;
    case 'transfer': {
      withinDisputeWindow();
      const o = await orgInReach(tx, input.orgId, p.regionCode, deps);
      if (input.orgId === p.orgId) {
        throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'body.orgId', message: 'same org' }] });
      }
      Object.assign(set, { orgId: input.orgId, handlerUserId: null, handlerName: null, assignedAt: now });
      note = `改派至 ${o.name}：${input.reason}`;
      data.fromOrgId = p.orgId;
      data.orgId = input.orgId;
      notify = { orgIds: [input.orgId], regionAdminsOf: [], title: `【改派】${p.code} ${p.title}` };
      break;
    }
    case 'return':
      withinDisputeWindow();
      Object.assign(set, { orgId: null, handlerUserId: null, handlerName: null, assignedAt: null });
      note = `退回：${input.reason}`;
      visibleToFirm = false;
      notify = { orgIds: [], regionAdminsOf: [p.regionCode], title: `【退回】${p.code} ${p.title}` };
      break;
    case 'request_extension': {
      if (!extensionStillAllowed(today, p.dueOn, st.extensionLeadDays)) {
        const last = extensionLastDay(p.dueOn, st.extensionLeadDays);
        throw conflict('EXTENSION_TOO_LATE', { due: p.dueOn, days: st.extensionLeadDays, last });
      }
      Object.assign(set, { extensionStatus: 'requested', extensionDays: input.days, extensionReason: input.reason });
      note = `申请延期 ${input.days} 天：${input.reason}`;
      visibleToFirm = false;
      notify = { orgIds: [], regionAdminsOf: [p.regionCode], title: `【延期申请】${p.code} ${p.title}` };
      break;
    }
    case 'approve_extension': {
      const dueOn = addDays(p.dueOn, p.extensionDays ?? 0, mode);
      Object.assign(set, { extensionStatus: 'approved', dueOn });
      note = `批准延期 ${p.extensionDays} 天，新时限 ${dueOn}`;
      notify = { orgIds: p.orgId ? [p.orgId] : [], regionAdminsOf: [], title: `【延期已批准】${p.code}` };
      break;
    }
    case 'reject_extension':
      set.extensionStatus = 'rejected';
      note = `驳回延期：${input.reason}`;
      visibleToFirm = false;
      notify = { orgIds: p.orgId ? [p.orgId] : [], regionAdminsOf: [], title: `【延期被驳回】${p.code}` };
      break;
    case 'stop_clock':
      Object.assign(set, { stoppedAt: now, stopReason: input.reason, stopNote: input.note });
      note = `暂停计时（${input.reason === 'awaiting_firm_materials' ? '等待企业补充材料' : '等待其他部门办理'}）：${input.note}`;
      data.reason = input.reason;
      break;
    case 'resume_clock': {
      const dueOn = shiftForPause(p.dueOn, todayOf(p.stoppedAt!), today, mode);
      Object.assign(set, { stoppedAt: null, stopReason: null, stopNote: null, dueOn });
      note = `恢复计时，办理时限顺延至 ${dueOn}`;
      data.dueOn = dueOn;
      break;
    }
    case 'escalate':
      set.escalationLevel = p.escalationLevel + 1;
      note = `督办升级至第 ${p.escalationLevel + 1} 级：${input.note}`;
      notify = {
        orgIds: p.orgId ? [p.orgId] : [],
        regionAdminsOf: deps.regions.ancestors(p.regionCode),
        title: `【督办】${p.code} ${p.title}`,
      };
      break;
    case 'withdraw':
      Object.assign(set, { closedAt: now, closureCode: 'explained_firm_withdrew' });
      note = `企业撤回${input.reason ? `：${input.reason}` : ''}`;
      break;
  }

  const updated = await tx
    .update(assistanceProblems)
    .set({ ...set, version: p.version + 1, updatedAt: now })
    .where(and(eq(assistanceProblems.id, p.id), eq(assistanceProblems.version, input.version)))
    .returning();
  if (updated.length === 0) throw conflict('VERSION_CONFLICT', { current: p.version + 1 });
  await addEvent(tx, p.id, c, now, input.action, note, visibleToFirm, data);
  await deps.audit.write(tx, actor, {
    action: `assistance.problem.${input.action}`,
    entity: 'assistance_problem',
    entityId: p.id,
    regionCode: p.regionCode,
    summary: { code: p.code, from: p.status, to: updated[0]!.status, ...data },
  });
  if (notify) {
    const firmOrg = notify.firm && p.enterpriseId ? await firmOrgOf(tx, p.enterpriseId) : null;
    const who = await recipientsFor(tx, {
      orgIds: [...notify.orgIds, ...(firmOrg ? [firmOrg] : [])],
      regionAdminsOf: notify.regionAdminsOf,
    });
    await deps.notifications.notify(
      tx,
      who.map((r) => r.id).filter((u) => u !== c.userId),
      {
        kind: `assistance.problem.${input.action}`,
        title: notify.title,
        body: note,
        link: `/assistance/problems/${p.id}`,
        entity: 'assistance_problem',
        entityId: p.id,
      },
    );
  }
  // The firm hears of every step it may see (issue #18: nothing reached it between submission and resolution).
  if (FIRM_PROGRESS.has(input.action) && visibleToFirm && !notify?.firm && p.enterpriseId && c.role !== 'enterprise') {
    const firmOrg = await firmOrgOf(tx, p.enterpriseId);
    const firmUsers = firmOrg ? await recipientsFor(tx, { orgIds: [firmOrg], regionAdminsOf: [] }) : [];
    if (firmUsers.length)
      await deps.notifications.notify(
        tx,
        firmUsers.map((r) => r.id),
        {
          kind: 'assistance.problem.progress',
          title: `【诉求进展】${p.code} ${p.title}：${FIRM_PROGRESS.get(input.action)}`,
          body: note,
          link: `/assistance/problems/${p.id}`,
          entity: 'assistance_problem',
          entityId: p.id,
        },
      );
  }
  return updated[0]!;
}

/** The steps the firm is told of, with the words it reads (the event's note follows in the body). */
const FIRM_PROGRESS = new Map<string, string>([
  ['assign', '已交办承办单位'],
  ['accept', '承办单位已签收'],
  ['transfer', '已改派承办单位'],
  ['approve_extension', '办理时限已延长'],
  ['stop_clock', '暂停计时'],
  ['resume_clock', '恢复计时'],
  ['feedback', '有新的办理进展'],
]);

async function firmOrgOf(ex: Executor, enterpriseId: string) {
  const [e] = await ex.select({ orgId: enterprises.orgId }).from(enterprises).where(eq(enterprises.id, enterpriseId));
  return e?.orgId ?? null;
}

// ---------------------------------------------------------------- 督办 job

/** Escalates overdue open problems up the region's ladder and notifies; returns how many moved. */
export async function escalateOverdue(deps: AppDeps, today: string) {
  const { db } = deps.database;
  const p = assistanceProblems;
  const overdue = await db
    .select({ id: p.id, regionCode: p.regionCode, dueOn: p.dueOn, level: p.escalationLevel })
    .from(p)
    .where(
      sql`${p.status} in ('collected','assigned','in_progress') and ${p.stoppedAt} is null and ${p.dueOn} < ${today}::date`,
    );
  let moved = 0;
  const cache = new Map<string, Awaited<ReturnType<typeof settingsFor>>>();
  for (const row of overdue) {
    let st = cache.get(row.regionCode);
    if (!st) {
      st = await settingsFor(db, deps.regions, row.regionCode);
      cache.set(row.regionCode, st);
    }
    const late = daysBetween(row.dueOn, today, st.deadlineProfile.mode);
    const rung = [...st.escalationLadder].filter((r) => r.afterDays <= late).sort((a, b) => b.level - a.level)[0];
    if (!rung || rung.level <= row.level) continue;
    await db.transaction(async (tx) => {
      const done = await tx
        .update(p)
        .set({ escalationLevel: rung.level, version: sql`${p.version} + 1`, updatedAt: deps.clock.now() })
        .where(and(eq(p.id, row.id), eq(p.escalationLevel, row.level)))
        .returning();
      const r = done[0];
      if (!r) return;
      const note = `逾期 ${late} 天，自动督办升级至第 ${rung.level} 级`;
      await addEvent(tx, r.id, null, deps.clock.now(), 'escalate', note, true, { level: rung.level, auto: true });
      const regionAdminsOf =
        rung.notifyRole === 'city_admin'
          ? deps.regions.ancestors(r.regionCode).filter((x) => deps.regions.get(x)?.level === 'city')
          : [
              r.regionCode,
              ...deps.regions.ancestors(r.regionCode).filter((x) => deps.regions.get(x)?.level === 'district'),
            ];
      const who = await recipientsFor(tx, {
        orgIds: [...(r.orgId ? [r.orgId] : []), ...(rung.notifyOrgId ? [rung.notifyOrgId] : [])],
        regionAdminsOf,
      });
      await deps.notifications.notify(
        tx,
        who.map((u) => u.id),
        {
          kind: 'assistance.problem.overdue',
          title: `【督办】${r.code} ${r.title} 已逾期 ${late} 天`,
          body: note,
          link: `/assistance/problems/${r.id}`,
          entity: 'assistance_problem',
          entityId: r.id,
        },
      );
      moved++;
    });
  }
  return { overdue: overdue.length, escalated: moved };
}
