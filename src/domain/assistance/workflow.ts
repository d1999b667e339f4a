/**
 * The 万人助万企 problem state machine (pure), after rules.md §6.3 [DERIVED from 6.2]:
 * `collected → assigned (unit + named handler) → in_progress (progress report due) → resolved (answer to the firm)
 * → rated (满意/基本满意/不满意) → closed`; 不满意 reopens to in_progress with a new deadline; transfer or return
 * within the dispute window (退回/改派); extension requested before the deadline and approved by a supervisor;
 * stop-the-clock while awaiting the firm's materials or another department; escalation (督办) of open problems.
 * Escalation, extension and the stopped clock are attributes of an open problem, not states of their own, so the
 * handling work goes on while they apply (decision 0014).
 */

export const PROBLEM_STATES = ['collected', 'assigned', 'in_progress', 'resolved', 'rated', 'closed'] as const;
export type ProblemState = (typeof PROBLEM_STATES)[number];

export const PROBLEM_ACTIONS = [
  'assign',
  'accept',
  'feedback',
  'resolve',
  'rate',
  'close',
  'transfer',
  'return',
  'request_extension',
  'approve_extension',
  'reject_extension',
  'stop_clock',
  'resume_clock',
  'escalate',
  'withdraw',
] as const;
export type ProblemAction = (typeof PROBLEM_ACTIONS)[number];

export const CLOSURE_CODES = [
  'resolved',
  'partly_resolved',
  'explained_policy_limit',
  'explained_not_our_remit',
  'explained_firm_withdrew',
  'duplicate',
] as const;
export type ClosureCode = (typeof CLOSURE_CODES)[number];
/** Closure codes that count as 已解决 in 解决率 (rules.md §6.4); explanations and duplicates do not. */
export const SOLVED_CODES: readonly ClosureCode[] = ['resolved', 'partly_resolved'];

export const RATINGS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export type Rating = (typeof RATINGS)[number];

/** What the caller is, relative to one problem. */
export interface ActorRelation {
  /** The firm's own portal user. */
  isFirm: boolean;
  /** A user of the handling department (with assistance:handle). */
  isHandler: boolean;
  /** assistance:manage in the problem's region (the campaign office: 交办, close). */
  canManage: boolean;
  /** assistance:supervise in the problem's region (extensions, 督办). */
  canSupervise: boolean;
  /** The user who submitted it (cadre or firm). */
  isSubmitter: boolean;
}

export interface ProblemSnapshot {
  status: ProblemState;
  stopped: boolean;
  extensionRequested: boolean;
}

const OPEN: readonly ProblemState[] = ['collected', 'assigned', 'in_progress'];

interface Rule {
  from: readonly ProblemState[];
  /** Who may do it. */
  who: (a: ActorRelation) => boolean;
  /** Extra condition on the snapshot, with the reason code when it fails. */
  when?: (p: ProblemSnapshot) => boolean;
  to: (p: ProblemState) => ProblemState;
}

const handlerOrOffice = (a: ActorRelation) => a.isHandler || a.canManage;

export const RULES: Record<ProblemAction, Rule> = {
  assign: { from: ['collected'], who: (a) => a.canManage, to: () => 'assigned' },
  accept: { from: ['assigned'], who: handlerOrOffice, to: () => 'in_progress' },
  feedback: { from: ['assigned', 'in_progress'], who: handlerOrOffice, to: () => 'in_progress' },
  resolve: { from: ['in_progress'], who: handlerOrOffice, when: (p) => !p.stopped, to: () => 'resolved' },
  /** 'unsatisfied' goes back to in_progress (the service decides from the payload). */
  rate: { from: ['resolved'], who: (a) => a.isFirm, to: () => 'rated' },
  /** 销号: after the firm's rating, or by the office when the firm gives none. */
  close: { from: ['resolved', 'rated'], who: (a) => a.canManage, to: () => 'closed' },
  transfer: { from: ['assigned', 'in_progress'], who: handlerOrOffice, to: () => 'assigned' },
  return: { from: ['assigned', 'in_progress'], who: (a) => a.isHandler, to: () => 'collected' },
  request_extension: {
    from: ['assigned', 'in_progress'],
    who: handlerOrOffice,
    when: (p) => !p.extensionRequested,
    to: (s) => s,
  },
  approve_extension: {
    from: ['assigned', 'in_progress'],
    who: (a) => a.canSupervise,
    when: (p) => p.extensionRequested,
    to: (s) => s,
  },
  reject_extension: {
    from: ['assigned', 'in_progress'],
    who: (a) => a.canSupervise,
    when: (p) => p.extensionRequested,
    to: (s) => s,
  },
  stop_clock: { from: ['assigned', 'in_progress'], who: handlerOrOffice, when: (p) => !p.stopped, to: (s) => s },
  resume_clock: { from: ['assigned', 'in_progress'], who: handlerOrOffice, when: (p) => p.stopped, to: (s) => s },
  escalate: { from: OPEN, who: (a) => a.canSupervise, to: (s) => s },
  withdraw: { from: OPEN, who: (a) => a.isFirm || a.isSubmitter, to: () => 'closed' },
};

export type TransitionCheck = { ok: true; to: ProblemState } | { ok: false; reason: 'state' | 'condition' | 'actor' };

/** Whether `action` is legal on `p` for actor `a`: first the state, then the condition, then who asks. */
export function checkTransition(p: ProblemSnapshot, action: ProblemAction, a: ActorRelation): TransitionCheck {
  const rule = RULES[action];
  if (!rule.from.includes(p.status)) return { ok: false, reason: 'state' };
  if (rule.when && !rule.when(p)) return { ok: false, reason: 'condition' };
  if (!rule.who(a)) return { ok: false, reason: 'actor' };
  return { ok: true, to: rule.to(p.status) };
}

/** The actions the caller may take now (the web shows only these buttons). */
export function allowedActions(p: ProblemSnapshot, a: ActorRelation): ProblemAction[] {
  return PROBLEM_ACTIONS.filter((x) => checkTransition(p, x, a).ok);
}

export function isOpen(s: ProblemState) {
  return OPEN.includes(s);
}

export const STATE_LABELS: Record<ProblemState, { 'zh-CN': string; en: string }> = {
  collected: { 'zh-CN': '已收集', en: 'collected' },
  assigned: { 'zh-CN': '已交办', en: 'assigned' },
  in_progress: { 'zh-CN': '办理中', en: 'in progress' },
  resolved: { 'zh-CN': '已办结', en: 'resolved' },
  rated: { 'zh-CN': '已评价', en: 'rated' },
  closed: { 'zh-CN': '已销号', en: 'closed' },
};

export const ACTION_LABELS: Record<ProblemAction, { 'zh-CN': string; en: string }> = {
  assign: { 'zh-CN': '交办', en: 'assign' },
  accept: { 'zh-CN': '签收', en: 'accept' },
  feedback: { 'zh-CN': '反馈进展', en: 'report progress' },
  resolve: { 'zh-CN': '办结答复', en: 'resolve' },
  rate: { 'zh-CN': '评价', en: 'rate' },
  close: { 'zh-CN': '销号', en: 'close' },
  transfer: { 'zh-CN': '改派', en: 'transfer' },
  return: { 'zh-CN': '退回', en: 'return' },
  request_extension: { 'zh-CN': '申请延期', en: 'request an extension' },
  approve_extension: { 'zh-CN': '批准延期', en: 'approve the extension' },
  reject_extension: { 'zh-CN': '驳回延期', en: 'reject the extension' },
  stop_clock: { 'zh-CN': '暂停计时', en: 'stop the clock' },
  resume_clock: { 'zh-CN': '恢复计时', en: 'resume the clock' },
  escalate: { 'zh-CN': '督办升级', en: 'escalate' },
  withdraw: { 'zh-CN': '撤回', en: 'withdraw' },
};
