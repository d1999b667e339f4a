/**
 * Enterprise portal (issue #5 "Enterprise portal"): my policies (eligible / maybe: data missing / new), each with
 * human reasons (passing, failing and unknown conditions), my applications, my payouts. Org scope only: the
 * enterprise of the caller's org.
 */
import { and, eq, gte, inArray } from 'drizzle-orm';
import { applicationOpen } from '../../../domain/policies.ts';
import { describeCondition, factDef, formatFactValue } from '../../../domain/rules/index.ts';
import type { Rule, TraceNode } from '../../../domain/rules/types.ts';
import type { Executor } from '../../db/client.ts';
import { policies, policyClauses, policyMatches } from '../../db/schema/index.ts';
import type { Locale } from '../../platform/messages.ts';
import type { Scope } from '../../platform/scope.ts';
import { enterpriseOfScope, prefilledFacts } from './applications.ts';
import { describeMissing, evaluateClause } from './matching.ts';

/** One sentence per leaf condition: 符合 / 不符合 / 待核实 with the firm's value or the missing data's holder. */
export function reasonsOf(rule: Rule, trace: TraceNode, locale: Locale): string[] {
  const zh = locale === 'zh-CN';
  const out: string[] = [];
  const walk = (r: Rule, t: TraceNode) => {
    if ('all' in r || 'any' in r) {
      const list = 'all' in r ? r.all : r.any;
      // a met 任一满足 group explains itself by the branch that holds; its failing alternatives would only confuse
      const onlyMet = 'any' in r && t.result === true;
      list.forEach((c, i) => {
        const child = t.children?.[i];
        if (child && (!onlyMet || child.result === true)) walk(c, child);
      });
      return;
    }
    if ('not' in r) {
      if (t.children?.[0]) walk(r.not, t.children[0]);
      return;
    }
    const text = describeCondition(r, locale);
    if (t.result === null) {
      const all = describeMissing(t.missing ?? [], locale);
      const absent = all.filter((x) => !x.needsVerification);
      const unverified = all.filter((x) => x.needsVerification);
      const parts: string[] = [];
      if (absent.length) {
        const m = absent
          .map((x) => (zh ? `${x.label}（由${x.source}掌握）` : `${x.label} (held by ${x.source})`))
          .join(zh ? '、' : ', ');
        parts.push(zh ? `缺少数据：${m}` : `missing data: ${m}`);
      }
      if (unverified.length) {
        // the firm reported it; the clause accepts only official or verified figures (decision 0018)
        const m = unverified.map((x) => x.label).join(zh ? '、' : ', ');
        parts.push(
          zh
            ? `需核实：${m}（贵企业自报的数据须经官方来源或区县/园区核实后方可使用）`
            : `needs verification: ${m} (your own figures count only once an official source or the district/park has verified them)`,
        );
      }
      out.push(zh ? `待核实：${text}——${parts.join('；')}` : `To be checked: ${text} — ${parts.join('; ')}`);
      return;
    }
    const def = t.facts.length === 1 ? factDef(t.facts[0]!) : undefined;
    const actual =
      typeof t.actual === 'number' || typeof t.actual === 'string' || typeof t.actual === 'boolean'
        ? formatFactValue(def, t.actual, locale)
        : null;
    const suffix = actual === null ? '' : zh ? `（贵企业：${actual}）` : ` (yours: ${actual})`;
    out.push(t.result ? `${zh ? '符合' : 'Met'}：${text}${suffix}` : `${zh ? '不符合' : 'Not met'}：${text}${suffix}`);
  };
  walk(rule, trace);
  return out;
}

function daysBefore(iso: string, days: number) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

export async function myPolicies(ex: Executor, scope: Scope, asOf: string, locale: Locale) {
  const ent = await enterpriseOfScope(ex, scope);
  if (!ent) return { eligible: [], maybe: [], new: [] };
  const matches = await ex
    .select({ m: policyMatches })
    .from(policyMatches)
    .innerJoin(policies, eq(policies.id, policyMatches.policyId))
    .where(and(eq(policyMatches.enterpriseId, ent.id), eq(policies.status, 'published')));
  const recent = await ex
    .select({ id: policies.id })
    .from(policies)
    .where(and(eq(policies.status, 'published'), gte(policies.publishedOn, daysBefore(asOf, 30))));
  const byPolicy = new Map<string, (typeof policyMatches.$inferSelect)[]>();
  for (const { m } of matches) byPolicy.set(m.policyId, [...(byPolicy.get(m.policyId) ?? []), m]);
  const ids = [...new Set([...byPolicy.keys(), ...recent.map((r) => r.id)])];
  if (ids.length === 0) return { eligible: [], maybe: [], new: [] };
  const pols = await ex.select().from(policies).where(inArray(policies.id, ids));
  const clauses = await ex
    .select()
    .from(policyClauses)
    .where(inArray(policyClauses.policyId, ids))
    .orderBy(policyClauses.ordinal);
  const { row } = await prefilledFacts(ex, ent.id, asOf);
  const recentIds = new Set(recent.map((r) => r.id));
  const eligible = [];
  const maybe = [];
  const fresh = [];
  for (const p of pols.sort((a, b) => (b.publishedOn ?? '').localeCompare(a.publishedOn ?? ''))) {
    const ms = byPolicy.get(p.id) ?? [];
    const pc = clauses.filter((c) => c.policyId === p.id);
    const reasons: string[] = [];
    for (const c of pc) {
      const ev = evaluateClause(c, row, asOf);
      if (pc.length > 1) reasons.push(`【${c.title}】`);
      reasons.push(...reasonsOf(c.eligibility as Rule, ev.trace, locale));
    }
    const eligibleRows = ms.filter((m) => m.result === 'eligible');
    const amountFen = eligibleRows.reduce(
      (s, m) => s + (m.amountYuan === null ? 0 : Math.round(Number(m.amountYuan) * 100)),
      0,
    );
    const missing = [...new Set(ms.filter((m) => m.result === 'unknown').flatMap((m) => m.missing ?? []))];
    const item = {
      policyId: p.id,
      title: p.title,
      docNo: p.docNo,
      issuerName: p.issuerName,
      channel: p.channel,
      applyTo: p.applyTo,
      publishedOn: p.publishedOn,
      // 快申 and ordinary policies take applications only inside their window (issue #18: 立即申报 and 预计可享 were
      // offered after it closed); the same rule as POST /policies/:id/applications
      applicationOpen: p.channel === 'mianshen' ? true : applicationOpen(p.applyFrom, p.applyTo, asOf),
      amount:
        (p.channel === 'mianshen' || applicationOpen(p.applyFrom, p.applyTo, asOf)) &&
        eligibleRows.length &&
        eligibleRows.some((m) => m.amountYuan !== null)
          ? amountFen / 100
          : null,
      reasons,
      missing: describeMissing(missing, locale),
    };
    if (eligibleRows.length) eligible.push(item);
    else if (ms.some((m) => m.result === 'unknown')) maybe.push(item);
    if (recentIds.has(p.id)) fresh.push(item);
  }
  return { eligible, maybe, new: fresh };
}
