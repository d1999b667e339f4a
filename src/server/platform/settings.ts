/** Security settings (changed by the security admin at run time; cached for a few seconds per instance). */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from '../../domain/password-policy.ts';
import type { Executor } from '../db/client.ts';
import { settings } from '../db/schema/index.ts';

export const securitySettingsSchema = z
  .object({
    /** Not below 12 (ASVS 2.1.1; security.md §6 decision 1). */
    passwordMinLength: z.number().int().min(12).max(64),
    passwordMinClasses: z.number().int().min(1).max(4),
    passwordMaxAgeDays: z.number().int().min(0).max(365),
    passwordHistory: z.number().int().min(0).max(24),
    lockoutThreshold: z.number().int().min(3).max(20),
    lockoutMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    idleTimeoutMinutes: z.number().int().min(5).max(240),
    absoluteSessionHours: z.number().int().min(1).max(24),
    /** Second factor (TOTP) required for government and admin roles (IA-04; issue #16). Off in the demo. */
    totpRequiredForStaff: z.boolean().default(false),
  })
  .strict();
export type SecuritySettings = z.infer<typeof securitySettingsSchema>;

/** Defaults: security.md IA-01 and IA-02 (5 failures → 30 min lock; 30 min idle; 12 h absolute). */
export const DEFAULT_SECURITY_SETTINGS: SecuritySettings = {
  passwordMinLength: DEFAULT_PASSWORD_POLICY.minLength,
  passwordMinClasses: DEFAULT_PASSWORD_POLICY.minClasses,
  passwordMaxAgeDays: DEFAULT_PASSWORD_POLICY.maxAgeDays,
  passwordHistory: DEFAULT_PASSWORD_POLICY.history,
  lockoutThreshold: 5,
  lockoutMinutes: 30,
  idleTimeoutMinutes: 30,
  absoluteSessionHours: 12,
  totpRequiredForStaff: false,
};

export function passwordPolicyOf(s: SecuritySettings): PasswordPolicy {
  return {
    minLength: s.passwordMinLength,
    maxLength: 128,
    minClasses: s.passwordMinClasses,
    maxAgeDays: s.passwordMaxAgeDays,
    history: s.passwordHistory,
  };
}

const KEY = 'security';

export class SettingsService {
  private cached: { value: SecuritySettings; at: number } | null = null;

  async security(ex: Executor): Promise<SecuritySettings> {
    if (this.cached && Date.now() - this.cached.at < 5_000) return this.cached.value;
    const rows = await ex.select().from(settings).where(eq(settings.key, KEY));
    const parsed = securitySettingsSchema.partial().safeParse(rows[0]?.value ?? {});
    const value = { ...DEFAULT_SECURITY_SETTINGS, ...(parsed.success ? parsed.data : {}) };
    this.cached = { value, at: Date.now() };
    return value;
  }

  async saveSecurity(ex: Executor, value: SecuritySettings, by: string | null) {
    await ex
      .insert(settings)
      .values({ key: KEY, value, updatedBy: by })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy: by, updatedAt: new Date() } });
    this.cached = null;
  }

  invalidate() {
    this.cached = null;
  }
}
