/**
 * Excel exports of the 万人助万企 lists (issue #18): the problem ledger, visits, pairings and the KPIs, each at
 * `<list path>/export` with the list's own querystring (less paging), access and scope (list-queries.ts), in the
 * list's order, capped like the enterprise export. Chinese headers with units, dates as date cells, statuses and codes
 * as Chinese labels, names of persons masked and phone / ID numbers masked inside free text (security.md PIPL-01),
 * a leading `'` before cells that would start a formula (ASVS-20), one audit row per export with its row count, and
 * a fresh TOTP code before a bulk export of personal data (requireStepUp, as the enterprise export).
 */
import { PassThrough } from 'node:stream';
import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { percent1 } from '../../../domain/assistance/kpis.ts';
import { STATE_LABELS } from '../../../domain/assistance/workflow.ts';
import { maskIdCard, maskMobile, maskName } from '../../../domain/personal-data.ts';
import { assistanceCadres, assistanceProblems, orgs } from '../../db/schema/index.ts';
import { requireStepUp } from '../../platform/auth.ts';
import { formulaSafe, writeSheetXlsx, type XlsxColumn } from '../../platform/xlsx-write.ts';
import { callerOf } from './access.ts';
import {
  kpiQuery,
  kpiReport,
  pairingListQuery,
  problemFilterOf,
  problemListQuery,
  rankingQuery,
  rankingReport,
  visitListQuery,
} from './list-queries.ts';
import * as problems from './problems.ts';
import * as svc from './service.ts';
import { CATEGORIES } from './settings.ts';

/** At most this many rows per export, as `GET /api/v1/enterprises/export`. */
export const EXPORT_CAP = 50_000;

const SOURCE_ZH: Record<string, string> = {
  enterprise: '企业自主提交',
  cadre: '干部代企业提交',
  symposium: '座谈会收集',
  hotline: '热线转办',
};
const PRIORITY_ZH: Record<string, string> = { normal: '一般', high: '较急', urgent: '紧急' };
const COMPLEXITY_ZH: Record<string, string> = { ordinary: '一般诉求', complex: '复杂诉求' };
const CLOSURE_ZH: Record<string, string> = {
  resolved: '已解决',
  partly_resolved: '部分解决',
  explained_policy_limit: '已解释：受政策限制',
  explained_not_our_remit: '已解释：不属本部门职责',
  explained_firm_withdrew: '已解释：企业撤回',
  duplicate: '重复诉求',
};
const RATING_ZH: Record<string, string> = { satisfied: '满意', basically_satisfied: '基本满意', unsatisfied: '不满意' };
const KIND_ZH: Record<string, string> = { visit: '走访', symposium: '座谈' };
const CATEGORY_ZH = new Map<string, string>(CATEGORIES.map((c) => [c.code, c.zh]));
const STATUS_ZH = (s: string) => STATE_LABELS[s as keyof typeof STATE_LABELS]?.['zh-CN'] ?? s;

/** A cell that would start a formula gets a leading `'` (ASVS-20; as the enterprise export). */
export const safeCell = (v: string | null | undefined) => formulaSafe(v ?? '');

/** Free text with resident ID and mobile numbers masked (security.md PIPL-01), then formula-guarded. */
export function safeText(v: string | null | undefined) {
  if (!v) return '';
  const masked = v
    .replace(/(?<![0-9Xx])\d{17}[0-9Xx](?![0-9Xx])/g, (m) => maskIdCard(m))
    .replace(/(?<!\d)1[3-9]\d{9}(?!\d)/g, (m) => maskMobile(m));
  return safeCell(masked);
}

/** A person's name as bulk exports show it (张*), formula-guarded. */
const personName = (v: string | null | undefined) => (v ? safeCell(maskName(v.trim())) : '');

/** A `YYYY-MM-DD` day as a date cell (ExcelJS writes a Date at UTC midnight as that day). */
const dateCell = (day: string | null | undefined) => (day ? new Date(`${day.slice(0, 10)}T00:00:00Z`) : null);
/** An instant as the date cell of its China-Standard-Time day. */
const dayOfInstant = (iso: Date | string | null | undefined) =>
  iso ? dateCell(problems.todayOf(typeof iso === 'string' ? new Date(iso) : iso)) : null;
const yesNo = (v: boolean) => (v ? '是' : '否');
/** A rate (fraction) as the percentage number the dashboard shows, truncated to one decimal (percent1). */
const percentCell = (r: number | null) => (r === null ? null : Number.parseFloat(percent1(r)));

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const SLICE_MS = 8;

/**
 * Several worksheets in one streamed workbook, in the manner of platform/xlsx-write.ts: rows added in slices of at
 * most 8 ms with a turn of the event loop between them, no shared strings or cell styles, bytes collected into one
 * Buffer (so the route answers with a Content-Length and fails before anything is sent).
 */
export async function writeSheetsXlsx(
  sheets: { name: string; columns: XlsxColumn[]; rows: Iterable<Record<string, unknown>> }[],
): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  let sliceStart = performance.now();
  for (const sheet of sheets) {
    const ws = wb.addWorksheet(sheet.name);
    ws.columns = sheet.columns;
    for (const row of sheet.rows) {
      ws.addRow(row).commit();
      if (performance.now() - sliceStart > SLICE_MS) {
        await nextTurn();
        sliceStart = performance.now();
      }
    }
    ws.commit();
  }
  await wb.commit();
  await ended;
  return Buffer.concat(chunks);
}

function sendXlsx(reply: FastifyReply, bytes: Buffer, filename: string) {
  return reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header(
      'content-disposition',
      `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    )
    .send(bytes);
}

export async function assistanceExportRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const deps = base.deps;
  const { db } = deps.database;
  const today = () => problems.todayOf(deps.clock.now());
  const caller = (req: FastifyRequest) => callerOf(db, req.auth!);
  const regionName = (code: string | null | undefined) => (code ? (deps.regions.get(code)?.name ?? code) : '');
  const audit = (req: FastifyRequest, action: string, entity: string, summary: Record<string, unknown>) =>
    deps.audit.writeAlone(db, req.actor(), {
      action,
      entity,
      regionCode: req.auth!.scope.rootRegion,
      summary,
    });
  const noPaging = { page: true, pageSize: true } as const;

  // ------------------------------------------------------------ the problem ledger (诉求台账)

  app.get(
    '/api/v1/assistance/problems/export',
    {
      config: { access: 'assistance:read' },
      schema: {
        tags: ['assistance'],
        summary: "Export the problem ledger with the list's filters and sort (.xlsx; audited)",
        querystring: problemListQuery.omit(noPaging),
      },
    },
    async (req, reply) => {
      await requireStepUp(req); // a fresh TOTP code before a bulk export of personal data (issue #16)
      const c = await caller(req);
      const q = req.query;
      const out = await problems.listProblems(
        db,
        c,
        problemFilterOf(deps, q),
        { page: 1, pageSize: EXPORT_CAP, sort: q.sort, order: q.order },
        today(),
      );
      // the ledger's columns the list does not carry, read for the listed rows only
      const p = assistanceProblems;
      const ids = out.items.map((i) => i.id);
      const extra = new Map(
        (ids.length
          ? await db
              .select({
                id: p.id,
                receivedOn: p.receivedOn,
                description: p.description,
                answer: p.answer,
                closureCode: p.closureCode,
                resolvedAt: p.resolvedAt,
              })
              .from(p)
              .where(sql`${p.id} = any(${`{${ids.join(',')}}`}::uuid[])`)
          : []
        ).map((r) => [r.id, r]),
      );
      const bytes = await writeSheetXlsx(
        '诉求台账',
        [
          { header: '诉求编号', key: 'code', width: 18 },
          { header: '诉求标题', key: 'title', width: 36 },
          { header: '诉求类别', key: 'category', width: 10 },
          { header: '状态', key: 'status', width: 10 },
          { header: '企业名称', key: 'enterprise', width: 36 },
          { header: '所属区县(市)', key: 'region', width: 14 },
          { header: '来源', key: 'source', width: 14 },
          { header: '紧急程度', key: 'priority', width: 10 },
          { header: '复杂程度', key: 'complexity', width: 10 },
          { header: '承办单位', key: 'org', width: 30 },
          { header: '办理人', key: 'handler', width: 10 },
          { header: '受理日期', key: 'receivedOn', width: 12 },
          { header: '办结时限', key: 'dueOn', width: 12 },
          { header: '是否超期', key: 'overdue', width: 10 },
          { header: '暂停计时', key: 'stopped', width: 10 },
          { header: '督办级别(级)', key: 'escalation', width: 12 },
          { header: '办结类型', key: 'closure', width: 22 },
          { header: '办结日期', key: 'resolvedOn', width: 12 },
          { header: '企业评价', key: 'rating', width: 10 },
          { header: '诉求内容', key: 'description', width: 60 },
          { header: '答复内容', key: 'answer', width: 60 },
        ],
        (function* () {
          for (const i of out.items) {
            const x = extra.get(i.id);
            yield {
              code: safeCell(i.code),
              title: safeText(i.title),
              category: CATEGORY_ZH.get(i.category) ?? safeCell(i.category),
              status: STATUS_ZH(i.status),
              enterprise: safeCell(i.enterpriseName),
              region: regionName(i.regionCode),
              source: SOURCE_ZH[i.source] ?? i.source,
              priority: PRIORITY_ZH[i.priority] ?? i.priority,
              complexity: COMPLEXITY_ZH[i.complexity] ?? i.complexity,
              org: safeCell(i.orgName),
              handler: personName(i.handlerName),
              receivedOn: x ? dateCell(x.receivedOn) : dayOfInstant(i.receivedAt),
              dueOn: dateCell(i.dueOn),
              overdue: yesNo(i.overdue),
              stopped: yesNo(i.stopped),
              escalation: i.escalationLevel,
              closure: x?.closureCode ? (CLOSURE_ZH[x.closureCode] ?? x.closureCode) : '',
              resolvedOn: dayOfInstant(x?.resolvedAt),
              rating: i.rating ? (RATING_ZH[i.rating] ?? i.rating) : '',
              description: safeText(x?.description),
              answer: safeText(x?.answer),
            };
          }
        })(),
      );
      await audit(req, 'assistance.problem.export', 'assistance_problem', {
        rows: out.items.length,
        total: out.total,
        truncated: out.total > out.items.length,
        personalData: ['handler_name'],
        filters: q,
      });
      return sendXlsx(reply, bytes, `诉求台账-${today()}.xlsx`);
    },
  );

  // ------------------------------------------------------------ visits and symposia (走访记录)

  app.get(
    '/api/v1/assistance/visits/export',
    {
      config: { access: 'assistance:read' },
      schema: {
        tags: ['assistance'],
        summary: "Export the visits and symposia with the list's filters (.xlsx; audited)",
        querystring: visitListQuery.omit(noPaging),
      },
    },
    async (req, reply) => {
      await requireStepUp(req);
      const c = await caller(req);
      const out = await svc.listVisits(db, c, { ...req.query, page: 1, pageSize: EXPORT_CAP });
      const bytes = await writeSheetXlsx(
        '走访记录',
        [
          { header: '日期', key: 'date', width: 12 },
          { header: '类型', key: 'kind', width: 8 },
          { header: '走访单位', key: 'org', width: 30 },
          { header: '所属区县(市)', key: 'region', width: 14 },
          { header: '走访企业', key: 'enterprises', width: 40 },
          { header: '企业数(家)', key: 'firms', width: 10 },
          { header: '参加人员', key: 'participants', width: 24 },
          { header: '走访情况', key: 'notes', width: 60 },
          { header: '后续事项', key: 'followUps', width: 40 },
        ],
        (function* () {
          for (const v of out.items) {
            yield {
              date: dateCell(v.date),
              kind: KIND_ZH[v.kind] ?? v.kind,
              org: safeCell(v.orgName),
              region: regionName(v.regionCode),
              enterprises: safeCell(
                v.enterprises
                  .map((e) => e.name)
                  .filter(Boolean)
                  .join('、'),
              ),
              firms: v.firmCount,
              participants: safeCell(v.participants.map((n) => maskName(n.trim())).join('、')),
              notes: safeText(v.notes),
              followUps: safeText(v.followUps.join('；')),
            };
          }
        })(),
      );
      await audit(req, 'assistance.visit.export', 'assistance_visit', {
        rows: out.items.length,
        total: out.total,
        truncated: out.total > out.items.length,
        personalData: ['participants'],
        filters: req.query,
      });
      return sendXlsx(reply, bytes, `走访记录-${today()}.xlsx`);
    },
  );

  // ------------------------------------------------------------ pairings (包联关系)

  app.get(
    '/api/v1/assistance/pairings/export',
    {
      config: { access: 'assistance:read' },
      schema: {
        tags: ['assistance'],
        summary: "Export the cadre ↔ enterprise pairings with the list's filters (.xlsx; audited)",
        querystring: pairingListQuery.omit(noPaging),
      },
    },
    async (req, reply) => {
      await requireStepUp(req);
      const c = await caller(req);
      const out = await svc.listPairings(db, c, { ...req.query, page: 1, pageSize: EXPORT_CAP });
      const bytes = await writeSheetXlsx(
        '包联关系',
        [
          { header: '包联干部', key: 'cadre', width: 10 },
          { header: '干部单位', key: 'cadreOrg', width: 30 },
          { header: '工作组', key: 'group', width: 30 },
          { header: '企业名称', key: 'firm', width: 36 },
          { header: '统一社会信用代码', key: 'uscc', width: 22 },
          { header: '所属区县(市)', key: 'region', width: 14 },
          { header: '企业库内企业', key: 'registered', width: 12 },
          { header: '包联开始日期', key: 'fromOn', width: 12 },
          { header: '包联结束日期', key: 'toOn', width: 12 },
        ],
        (function* () {
          for (const r of out.items) {
            yield {
              cadre: personName(r.cadreName),
              cadreOrg: safeCell(r.cadreOrg),
              group: safeCell(r.groupName),
              firm: safeCell(r.firmName),
              uscc: safeCell(r.firmUscc),
              region: regionName(r.regionCode),
              registered: yesNo(!!r.enterpriseId),
              fromOn: dateCell(r.fromOn),
              toOn: dateCell(r.toOn),
            };
          }
        })(),
      );
      await audit(req, 'assistance.pairing.export', 'assistance_pairing', {
        rows: out.items.length,
        total: out.total,
        truncated: out.total > out.items.length,
        personalData: ['cadre_name'],
        filters: req.query,
      });
      return sendXlsx(reply, bytes, `包联关系-${today()}.xlsx`);
    },
  );

  // ------------------------------------------------------------ KPIs (助企成效) and, for region users, the rankings

  app.get(
    '/api/v1/assistance/kpis/export',
    {
      config: { access: 'assistance:read' },
      schema: {
        tags: ['assistance'],
        summary:
          'Export the KPIs of GET /assistance/kpis (sheet 成效指标) and, for region users, the rankings of the same period (sheet 排名) (.xlsx; audited)',
        querystring: kpiQuery.extend({ by: rankingQuery.shape.by, rankBy: rankingQuery.shape.rankBy }),
      },
    },
    async (req, reply) => {
      const c = await caller(req);
      const { by, rankBy, ...q } = req.query;
      const k = await kpiReport(deps, c, q, today());
      // the rankings cover the KPI sheet's own period, so the two sheets never disagree on it
      const ranked =
        req.auth!.scope.kind === 'region'
          ? await rankingReport(
              deps,
              req.auth!.scope,
              { by, rankBy, region: k.region, from: k.from, to: k.to },
              today(),
            )
          : null;
      const [org] = k.orgId ? await db.select({ name: orgs.name }).from(orgs).where(eq(orgs.id, k.orgId)) : [];
      const [cadre] = k.cadreId
        ? await db
            .select({ name: assistanceCadres.name })
            .from(assistanceCadres)
            .where(eq(assistanceCadres.id, k.cadreId))
        : [];
      const sheets: Parameters<typeof writeSheetsXlsx>[0] = [
        {
          name: '成效指标',
          columns: [
            { header: '统计区域', key: 'region', width: 12 },
            { header: '承办单位', key: 'org', width: 24 },
            { header: '包联干部', key: 'cadre', width: 10 },
            { header: '起始日期', key: 'from', width: 12 },
            { header: '截止日期', key: 'to', width: 12 },
            { header: '收集诉求(件)', key: 'collected', width: 12 },
            { header: '已解决(件)', key: 'resolved', width: 12 },
            { header: '按期解决(件)', key: 'resolvedOnTime', width: 12 },
            { header: '其他方式办结(件)', key: 'closedOtherwise', width: 16 },
            { header: '解决率(%)', key: 'resolutionRate', width: 10 },
            { header: '按期办结率(%)', key: 'onTimeRate', width: 14 },
            { header: '满意率(%)', key: 'satisfactionRate', width: 10 },
            { header: '超期未办结(件)', key: 'overdue', width: 14 },
            { header: '时限内办理中(件)', key: 'openWithinDeadline', width: 16 },
            { header: '已评价(件)', key: 'rated', width: 10 },
            { header: '满意(件)', key: 'satisfied', width: 10 },
            { header: '基本满意(件)', key: 'basic', width: 12 },
            { header: '不满意(件)', key: 'unsatisfied', width: 10 },
            { header: '平均首次反馈用时(小时)', key: 'avgFeedback', width: 20 },
            { header: '平均解决用时(天)', key: 'avgResolution', width: 16 },
            { header: '满意率计入基本满意', key: 'countBasic', width: 18 },
            { header: '解决率只计企业确认', key: 'confirmedOnly', width: 18 },
          ],
          rows: [
            {
              region: regionName(k.region),
              org: safeCell(org?.name),
              cadre: personName(cadre?.name),
              from: dateCell(k.from),
              to: dateCell(k.to),
              collected: k.collected,
              resolved: k.resolved,
              resolvedOnTime: k.resolvedOnTime,
              closedOtherwise: k.closedOtherwise,
              resolutionRate: percentCell(k.resolutionRate),
              onTimeRate: percentCell(k.onTimeRate),
              satisfactionRate: percentCell(k.satisfactionRate),
              overdue: k.overdue,
              openWithinDeadline: k.openWithinDeadline,
              rated: k.rated,
              satisfied: k.ratings.satisfied,
              basic: k.ratings.basicallySatisfied,
              unsatisfied: k.ratings.unsatisfied,
              avgFeedback: k.avgFirstFeedbackHours,
              avgResolution: k.avgResolutionDays,
              countBasic: yesNo(k.countBasicallySatisfied),
              confirmedOnly: yesNo(k.resolutionRequiresConfirmation),
            },
          ],
        },
      ];
      if (ranked)
        sheets.push({
          name: '排名',
          columns: [
            { header: '名次', key: 'rank', width: 8 },
            { header: ranked.by === 'district' ? '区县(市)' : '承办部门', key: 'name', width: 30 },
            { header: '诉求数(件)', key: 'n', width: 10 },
            { header: '已解决(件)', key: 'resolved', width: 10 },
            { header: '解决率(%)', key: 'resolutionRate', width: 10 },
            { header: '按期办结率(%)', key: 'onTimeRate', width: 14 },
            { header: '满意率(%)', key: 'satisfactionRate', width: 10 },
            { header: '起始日期', key: 'from', width: 12 },
            { header: '截止日期', key: 'to', width: 12 },
          ],
          rows: ranked.items.map((u) => ({
            rank: u.belowMinSample || u.rank === null ? `样本不足(少于${ranked.minSample}件)` : u.rank,
            name: safeCell(u.name),
            n: u.n,
            resolved: u.resolved,
            resolutionRate: percentCell(u.resolutionRate),
            onTimeRate: percentCell(u.onTimeRate),
            satisfactionRate: percentCell(u.satisfactionRate),
            from: dateCell(ranked.from),
            to: dateCell(ranked.to),
          })),
        });
      const bytes = await writeSheetsXlsx(sheets);
      await audit(req, 'assistance.kpi.export', 'assistance_kpi', {
        rows: 1 + (ranked?.items.length ?? 0),
        rankings: ranked?.items.length ?? null,
        region: k.region,
        from: k.from,
        to: k.to,
        filters: req.query,
      });
      return sendXlsx(reply, bytes, `助企成效-${k.from}至${k.to}.xlsx`);
    },
  );
}
