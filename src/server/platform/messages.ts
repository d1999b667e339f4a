/** Localized API error messages (zh-CN default, en). Codes are stable; texts may change. */
import { HYGIENE_MESSAGES, type HygieneProblem } from './input.ts';

export type Locale = 'zh-CN' | 'en';

type Catalog = Record<string, { 'zh-CN': string; en: string }>;

export const MESSAGES = {
  VALIDATION_FAILED: { 'zh-CN': '提交的数据有误，请检查标出的字段。', en: 'The request has invalid fields.' },
  UNAUTHENTICATED: { 'zh-CN': '请先登录。', en: 'Please sign in.' },
  SESSION_EXPIRED: {
    'zh-CN': '会话已过期（长时间未操作），请重新登录。',
    en: 'Your session has expired after inactivity. Please sign in again.',
  },
  AUTH_FAILED: {
    'zh-CN': '用户名或密码错误，或账户已被临时锁定（连续 {threshold} 次失败后锁定 {minutes} 分钟）。',
    en: 'Wrong username or password, or the account is temporarily locked ({threshold} failures lock it for {minutes} minutes).',
  },
  FORBIDDEN: { 'zh-CN': '您没有执行此操作的权限。', en: 'You do not have permission to do this.' },
  PASSWORD_CHANGE_REQUIRED: {
    'zh-CN': '请先修改密码。',
    en: 'You must change your password first.',
  },
  CSRF_FAILED: {
    'zh-CN': '请求校验失败（CSRF），请刷新页面后重试。',
    en: 'Request verification (CSRF) failed. Reload the page and try again.',
  },
  NOT_FOUND: { 'zh-CN': '未找到该记录，或您无权查看。', en: 'Not found, or you may not see it.' },
  WEBHOOK_HOST_NOT_ALLOWED: {
    'zh-CN': '地址 {host} 不在通知白名单内，不能使用；请联系系统管理员在“通知渠道”中加入允许的主机。',
    en: 'The address {host} is not on the notification allow-list; ask the system administrator to allow the host under Notification channels.',
  },
  ROUTE_NOT_FOUND: { 'zh-CN': '接口不存在。', en: 'No such endpoint.' },
  REFERENCE_OUT_OF_SCOPE: {
    'zh-CN': '所引用的 {field} 不存在或不在您的管辖范围内。',
    en: 'The {field} you referenced does not exist or is outside your scope.',
  },
  CONFLICT: { 'zh-CN': '数据冲突：{reason}', en: 'Conflict: {reason}' },
  OFFICIAL_FIGURE_EXISTS: {
    'zh-CN': '该月份已有更高优先级来源（官方或核实）的数据，不能被此来源覆盖。',
    en: 'A higher-ranked (official or verified) figure exists for this month; this source cannot replace it.',
  },
  INDICATOR_SUPERSEDED: {
    'zh-CN': '企业已重新填报该数据，此数值已被新版本取代，请刷新后核实最新数值。',
    en: 'The firm has reported this figure again; this value was superseded. Reload and check the latest value.',
  },
  INDICATOR_ALREADY_DECIDED: {
    'zh-CN': '该数值已经核实或驳回，不能重复处理。',
    en: 'This value has already been confirmed or rejected.',
  },
  SAME_PERSON_APPROVAL: {
    'zh-CN': '审批人不能是提交人或起草人，请由另一位有审批权限的工作人员{stepZh}。',
    en: 'The approver cannot be the submitter or the author; another official with the permission must {stepEn}.',
  },
  POLICY_ISSUER_OUT_OF_SCOPE: {
    'zh-CN': '发文单位“{issuer}”不在您的管辖范围内：只能选择本单位或本辖区内的单位。',
    en: 'The issuer "{issuer}" is outside your scope: choose your own organisation or one within your region.',
  },
  POLICY_EXAMPLES_FAILING: {
    'zh-CN': '示例案例未通过，不能发布：{names}',
    en: 'Example cases fail, so the policy cannot be published: {names}',
  },
  PLAN_CHANGE_STATE_INVALID: {
    'zh-CN': '该变更申请已处理，不能重复处理。',
    en: 'This change request has already been decided.',
  },
  FORBIDDEN_SELF_REVIEW: {
    'zh-CN': '不能核实自己录入的数据，请由其他工作人员核实。',
    en: 'You cannot verify a figure you entered yourself; another official must do it.',
  },
  DUPLICATE: { 'zh-CN': '已存在相同的记录：{field}', en: 'A record with the same {field} already exists.' },
  IDEMPOTENCY_KEY_REUSED: {
    'zh-CN': '该幂等键已用于另一个不同的请求。',
    en: 'This Idempotency-Key was already used for a different request.',
  },
  PASSWORD_POLICY: { 'zh-CN': '密码不符合安全策略。', en: 'The password does not meet the policy.' },
  WRONG_PASSWORD: { 'zh-CN': '当前密码不正确。', en: 'The current password is wrong.' },
  FILE_TOO_LARGE: { 'zh-CN': '文件过大（上限 {limitMb} MB）。', en: 'The file is too large (limit {limitMb} MB).' },
  XLSX_TOO_LARGE: {
    'zh-CN': '表格文件解压后过大（上限 {limitMb} MB），已拒绝处理，请拆分后再上传。',
    en: 'The workbook is too large when unpacked (limit {limitMb} MB); split it and upload again.',
  },
  XLSX_REJECTED: {
    'zh-CN': '表格文件结构异常（{reason}），已拒绝处理：请用 Excel 或 WPS 另存为 .xlsx 后再上传。',
    en: 'The workbook looks malformed ({reason}) and was refused: save it again as .xlsx in Excel or WPS.',
  },
  XLSX_CELL_TOO_LONG: {
    'zh-CN': '表格中有单元格超过 {limit} 个字符（Excel 的上限），已拒绝处理。',
    en: 'A cell holds more than {limit} characters (the Excel limit); the workbook was refused.',
  },
  PAYLOAD_TOO_LARGE: {
    'zh-CN': '请求内容过大（上限 {limitKb} KB）。',
    en: 'The request body is too large (limit {limitKb} KB).',
  },
  UNSUPPORTED_FILE_TYPE: {
    'zh-CN': '不支持的文件类型（允许：{allowed}）。',
    en: 'Unsupported file type (allowed: {allowed}).',
  },
  UNSUPPORTED_MEDIA_TYPE: { 'zh-CN': '不支持的请求内容类型。', en: 'Unsupported content type.' },
  RATE_LIMITED: { 'zh-CN': '请求过于频繁，请稍后再试。', en: 'Too many requests; try again later.' },
  SERVICE_UNAVAILABLE: { 'zh-CN': '服务暂不可用，请稍后再试。', en: 'Service unavailable; try again later.' },
  INTERNAL: {
    'zh-CN': '服务器内部错误（错误编号 {errorId}），请联系管理员。',
    en: 'Internal server error (error id {errorId}). Please contact the administrator.',
  },
  STAGE_TRANSITION_INVALID: {
    'zh-CN': '不能从「{from}」直接变更为「{to}」：进度只能按顺序逐步推进。',
    en: 'Cannot move from "{from}" to "{to}": the pipeline moves forward one step at a time.',
  },
  POLICY_TRANSITION_INVALID: {
    'zh-CN': '政策当前状态为「{fromZh}」，不能执行「{actionZh}」操作。',
    en: 'The policy is "{from}"; the action "{action}" is not allowed from there.',
  },
  POLICY_NOT_EDITABLE: {
    'zh-CN': '政策状态为「{statusZh}」：只有草稿和审核中的政策可以修改，只有草稿可以删除。',
    en: 'The policy is "{status}": only drafts and policies under review can be edited, only drafts deleted.',
  },
  POLICY_VERSION_CONFLICT: {
    'zh-CN': '该政策已被他人修改（您编辑的是第 {version} 版，当前为第 {current} 版），请刷新后重试。',
    en: 'Someone else changed this policy (you edited version {version}, it is now {current}). Reload and try again.',
  },
  POLICY_NEEDS_CLAUSES: {
    'zh-CN': '免申即享和快申快享政策提交审核前至少需要一个条款（兑现条件和金额）。',
    en: 'A 免申即享 or 快申快享 policy needs at least one clause (conditions and amount) before review.',
  },
  DATE_BEFORE_PREVIOUS: {
    'zh-CN': '日期 {date} 早于上一阶段的日期 {previous}。',
    en: 'The date {date} is before the previous step ({previous}).',
  },
  EVIDENCE_REQUIRED: {
    'zh-CN': '确认履约需要至少一项履约佐证（企业注册、土地或厂房落实、资金到位、开工建设）。',
    en: 'Contract performance needs at least one piece of evidence (registration, land or premises, capital, construction).',
  },
  DATE_IN_FUTURE: { 'zh-CN': '日期不能晚于今天。', en: 'The date cannot be in the future.' },
  REPORT_ALREADY_SUBMITTED: {
    'zh-CN': '该期报告已于 {submittedOn} 提交；如需覆盖，请确认后重新提交。',
    en: 'A report for this period was already submitted on {submittedOn}. Confirm to replace it.',
  },
  REPORT_PERIOD_NOT_ENDED: {
    'zh-CN': '报告期（{start} 至 {end}）尚未结束，结束后才能生成报表。',
    en: 'The period ({start} to {end}) has not ended yet; a report can be generated once it has.',
  },
  IMPORT_ROWS_INVALID: {
    'zh-CN': '导入失败：{count} 处错误，未写入任何数据。请按行号修改后重新导入。',
    en: 'Import failed: {count} errors; nothing was written. Fix the listed rows and import again.',
  },
  ROLE_SCOPE_MISMATCH: {
    'zh-CN': '角色与管辖范围不匹配：{reason}',
    en: 'The role does not fit the scope: {reason}',
  },
  // ---- cockpit and targets (issue #21, decision 0024) ----
  REGION_OUT_OF_SCOPE: {
    'zh-CN': '区划 {region} 不在您的管辖范围内，驾驶舱只显示您所辖区域的数据。',
    en: 'Region {region} is outside your scope; the cockpit shows only the regions you administer.',
  },
  TARGET_LEVEL_ABOVE: {
    'zh-CN': '目标任务由上级下达：您只能为下辖区域设定目标，不能设定 {region} 的目标。',
    en: 'Targets are set by the level above: you may set targets only for the regions below yours, not for {region}.',
  },
  ASSISTANCE_ACTION_INVALID: {
    'zh-CN': '诉求当前状态为「{state}」，不能执行「{action}」{why}。',
    en: 'The problem is "{stateEn}"; "{actionEn}" is not possible{whyEn}.',
  },
  VERSION_CONFLICT: {
    'zh-CN': '该记录已被他人修改（版本 {current}），请刷新后重试。',
    en: 'Someone else changed this record (now version {current}); reload and try again.',
  },
  DISPUTE_WINDOW_CLOSED: {
    'zh-CN': '已超过管辖争议期（交办后 {days} 个工作日内可退回或改派），请按延期或督办流程处理。',
    en: 'The dispute window has closed (return or transfer within {days} working days of assignment).',
  },
  // ---- separation of duties and second factor (issue #16, decision 0019) ----
  ACTIVATION_INVALID: {
    'zh-CN': '激活码无效或已过期，请联系系统管理员重新生成。',
    en: 'The activation code is invalid or has expired; ask the system administrator for a new one.',
  },
  GRANT_SELF: {
    'zh-CN': '不能修改自己的角色或管辖范围。',
    en: 'You cannot change your own role or scope.',
  },
  ADMIN_ROLES_EXCLUSIVE: {
    'zh-CN': '三员角色（系统管理员、安全管理员、审计管理员）互斥：该账户已是「{current}」，不能再授予「{next}」。',
    en: 'The three admin roles are mutually exclusive: this account is "{current}" and cannot become "{next}".',
  },
  LAST_ADMIN_ROLE: {
    'zh-CN': '这是最后一个在用的「{role}」账户，不能停用或改变其角色。',
    en: 'This is the last active "{role}" account; it cannot be disabled or given another role.',
  },
  MFA_REQUIRED: {
    'zh-CN': '请输入身份验证器上的 6 位动态验证码。',
    en: 'Enter the 6-digit code from your authenticator app.',
  },
  TOTP_INVALID: {
    'zh-CN': '动态验证码错误或已使用过，请等待下一个验证码后重试。',
    en: 'The code is wrong or was already used; wait for the next code and try again.',
  },
  MFA_ENROLMENT_REQUIRED: {
    'zh-CN': '安全策略要求您先绑定身份验证器（双因素认证）。',
    en: 'The security policy requires you to set up an authenticator app (two-factor) first.',
  },
  STEP_UP_REQUIRED: {
    'zh-CN': '此操作涉及个人信息或批量导出，请先输入动态验证码进行二次验证。',
    en: 'This reveals personal data or exports in bulk: confirm with a fresh authenticator code first.',
  },
  TOTP_STATE_INVALID: {
    'zh-CN': '双因素认证状态不允许此操作：{reason}',
    en: 'Two-factor state does not allow this: {reason}',
  },
  EXTENSION_TOO_LATE: {
    'zh-CN': '延期申请须在办理时限（{due}）前至少 {days} 个工作日提出，最迟 {last}。',
    en: 'An extension must be requested at least {days} working days before the deadline ({due}), by {last}.',
  },
  VISIT_CAP_EXCEEDED: {
    'zh-CN': '无事不扰：{enterprise} 本月已被走访 {count} 次（上限 {cap} 次）。',
    en: 'Do not disturb: {enterprise} has had {count} visits this month (cap {cap}).',
  },
  CONFIRM_WINDOW_OPEN: {
    'zh-CN': '企业确认期内（办结后 {days} 天，至 {until}）不能直接销号，请等待企业评价或确认。',
    en: 'The firm may confirm or contest the resolution for {days} days (until {until}); close it after that.',
  },
  PREFERS_ONLINE: {
    'zh-CN': '{enterprise} 希望优先线上沟通，请确认确有必要上门。',
    en: '{enterprise} prefers online contact; make sure a visit is needed.',
  },
  BUDGET_EXCEEDED: {
    'zh-CN': '超出政策预算：预算上限 {cap} 元，已批准 {committed} 元，本笔 {amount} 元无法批准。',
    en: 'Over the policy budget: cap {cap} CNY, {committed} CNY approved; this payout of {amount} CNY cannot be approved.',
  },
  COMMON_ISSUE_NOTHING_TO_DO: {
    'zh-CN':
      '没有可批量处理的问题：{unrouted} 个尚未交办，{assigned} 个已交办未签收（办结须先签收），{done} 个已办结。请先交办并由承办单位签收。',
    en: 'No problem can take this step: {unrouted} not yet assigned, {assigned} assigned but not accepted (resolving needs acceptance), {done} already resolved. Assign them and have the department accept them first.',
  },
  PUBLICITY_TOO_SHORT: {
    'zh-CN':
      '公示期过短：本批次公示 {days} 天，至少须公示 {min} 个工作日（自今日起至少到 {until}）。请调整政策的公示天数后再发布。',
    en: 'The publicity is too short: {days} days set, at least {min} working days are required (until {until} at the earliest). Change the policy’s publicity days and publish again.',
  },
  BATCH_OVER_BUDGET: {
    'zh-CN':
      '超出政策预算：本批清单合计 {total} 元，预算上限 {cap} 元，剩余可用 {remaining} 元。请先移出部分拨付或调整预算后再公示。',
    en: 'Over the policy budget: this list totals {total} CNY, the cap is {cap} CNY and {remaining} CNY remain. Remove payouts or raise the budget before publicity.',
  },
  PAYOUT_STATE_INVALID: {
    'zh-CN': '当前状态下不能执行此操作：{reasonZh}',
    en: 'Not possible in the current state: {reasonEn}',
  },
  CONSENT_REQUIRED: {
    'zh-CN': '该政策条款需要企业确认意愿（意愿确认）后才能批准拨付。',
    en: 'The enterprise must confirm its intent (意愿确认) before this payout can be approved.',
  },
  POLICY_NOT_MIANSHEN: {
    'zh-CN': '只有已发布的“免申即享”政策才能生成拨付清单。',
    en: 'Only published 免申即享 (no-application) policies can generate a payout list.',
  },
  APPLICATION_NOT_ALLOWED: {
    'zh-CN': '不能申请：{reasonZh}',
    en: 'Cannot apply: {reasonEn}',
  },
} satisfies Catalog;

export type ErrorCode = keyof typeof MESSAGES;

export function pickLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'zh-CN';
  for (const part of acceptLanguage.split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase() ?? '';
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

export function formatMessage(code: ErrorCode, locale: Locale, params: Record<string, unknown> = {}): string {
  const template = MESSAGES[code][locale];
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (params[k] === undefined ? `{${k}}` : String(params[k])));
}

/** Field-level validation texts (zod issue codes → localized). */
export function localizeIssue(
  issue: { code: string; message: string; minimum?: unknown; maximum?: unknown; expected?: unknown },
  locale: Locale,
): string {
  const hygiene = hygieneOf(issue);
  if (hygiene) return HYGIENE_MESSAGES[hygiene][locale];
  if (locale === 'en') return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return issue.message.includes('received undefined') ? '必填' : '类型不正确';
    case 'too_small':
      return `长度或数值不能小于 ${String(issue.minimum)}`;
    case 'too_big':
      return `长度或数值不能大于 ${String(issue.maximum)}`;
    case 'invalid_format':
    case 'invalid_string':
      return '格式不正确';
    case 'invalid_value':
    case 'invalid_enum_value':
      return '取值不在允许范围内';
    case 'unrecognized_keys':
      return '包含不允许的字段';
    default:
      return issue.message;
  }
}

/** The input-hygiene problem an issue carries (platform/input.ts), as `hygiene` or `params.hygiene`. */
function hygieneOf(issue: object): HygieneProblem | null {
  const i = issue as { hygiene?: unknown; params?: { hygiene?: unknown } };
  const h = i.hygiene ?? i.params?.hygiene;
  return typeof h === 'string' && h in HYGIENE_MESSAGES ? (h as HygieneProblem) : null;
}
