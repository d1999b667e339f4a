/**
 * Assistance settings per region, stored in `settings` under `assistance:<region code>`. A region without its
 * own settings inherits the nearest ancestor's, then the defaults (焦作 13710, decision 0014).
 */
import { eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { PROFILE_13710 } from '../../../domain/assistance/deadlines.ts';
import type { Executor } from '../../db/client.ts';
import { settings } from '../../db/schema/index.ts';
import type { RegionIndex } from '../../platform/region-index.ts';

export const CATEGORIES = [
  { code: 'policy', zh: '政策咨询', en: 'Policy enquiry' },
  { code: 'finance', zh: '融资', en: 'Financing' },
  { code: 'labour', zh: '用工', en: 'Labour' },
  { code: 'land', zh: '用地', en: 'Land' },
  { code: 'approval', zh: '审批', en: 'Approvals' },
  { code: 'utilities', zh: '水电气', en: 'Water, power, gas' },
  { code: 'logistics', zh: '物流', en: 'Logistics' },
  { code: 'market', zh: '市场', en: 'Market' },
  { code: 'legal', zh: '法律', en: 'Legal' },
  { code: 'other', zh: '其他', en: 'Other' },
] as const;
export const CATEGORY_CODES = CATEGORIES.map((c) => c.code) as [string, ...string[]];

export const assistanceSettingsSchema = z
  .object({
    deadlineProfile: z
      .object({
        assignWithinDays: z.number().int().min(0).max(30),
        firstFeedbackDays: z.number().int().min(1).max(60),
        ordinaryDays: z.number().int().min(1).max(120),
        complexDays: z.number().int().min(1).max(365),
        mode: z.enum(['calendar', 'working']),
      })
      .strict(),
    /** Days (working) after assignment within which the department may transfer or return (泉州: 1). */
    disputeWindowDays: z.number().int().min(0).max(30),
    /** Days after a resolution in which the firm confirms or contests it before the office may close it unrated. */
    confirmWindowDays: z.number().int().min(0).max(60),
    /** An extension is requested at least this many working days before the deadline (泉州: 1). */
    extensionLeadDays: z.number().int().min(1).max(30),
    escalationLadder: z
      .array(
        z
          .object({
            afterDays: z.number().int().min(0).max(365),
            level: z.number().int().min(1).max(10),
            notifyRole: z.enum(['district_admin', 'city_admin']).optional(),
            notifyOrgId: z.uuid().nullable().optional(),
          })
          .strict(),
      )
      .max(10),
    /** Visits per enterprise per calendar month across all departments before a warning (无事不扰). */
    visitCapPerMonth: z.number().int().min(1).max(100),
    countBasicallySatisfied: z.boolean(),
    /** 解决率 counts only resolutions the firm confirmed (lessons.md §5 item 1); off by default (decision 0014). */
    resolutionRequiresConfirmation: z.boolean(),
    minRankingSample: z.number().int().min(1).max(10_000),
    /** Default handling department per category (org id). */
    categoryOrgs: z.record(z.string(), z.uuid().nullable()),
  })
  .strict();
export type AssistanceSettings = z.infer<typeof assistanceSettingsSchema>;

export const DEFAULT_ASSISTANCE_SETTINGS: AssistanceSettings = {
  deadlineProfile: { ...PROFILE_13710 },
  disputeWindowDays: 1,
  extensionLeadDays: 1,
  confirmWindowDays: 3,
  escalationLadder: [
    { afterDays: 1, level: 1, notifyRole: 'district_admin' },
    { afterDays: 7, level: 2, notifyRole: 'city_admin' },
  ],
  visitCapPerMonth: 2,
  countBasicallySatisfied: true,
  resolutionRequiresConfirmation: false,
  minRankingSample: 20,
  categoryOrgs: {},
};

const keyOf = (region: string) => `assistance:${region}`;

/** The effective settings of a region: its own, else the nearest ancestor's, else the defaults. */
export async function settingsFor(
  ex: Executor,
  regions: RegionIndex,
  region: string,
): Promise<AssistanceSettings & { definedAt: string | null }> {
  const chain = [region, ...[...regions.ancestors(region)].reverse()];
  const rows = await ex
    .select()
    .from(settings)
    .where(inArray(settings.key, chain.map(keyOf)));
  for (const code of chain) {
    const row = rows.find((r) => r.key === keyOf(code));
    if (!row) continue;
    const parsed = assistanceSettingsSchema.partial().safeParse(row.value);
    if (parsed.success) return { ...DEFAULT_ASSISTANCE_SETTINGS, ...parsed.data, definedAt: code };
  }
  return { ...DEFAULT_ASSISTANCE_SETTINGS, definedAt: null };
}

export async function saveSettings(ex: Executor, region: string, value: AssistanceSettings, by: string | null) {
  await ex
    .insert(settings)
    .values({ key: keyOf(region), value, updatedBy: by })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy: by, updatedAt: new Date() } });
}

export async function hasOwnSettings(ex: Executor, region: string) {
  const rows = await ex
    .select({ k: settings.key })
    .from(settings)
    .where(eq(settings.key, keyOf(region)));
  return rows.length > 0;
}
