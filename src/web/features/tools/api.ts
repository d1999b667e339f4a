/** The public calculators' API (POST /api/v1/tools/…): no login, the client adds the CSRF header itself. */
import { api } from '../../app/api';

export type SizeClass = 'large' | 'medium' | 'small' | 'micro';
export type Indicator = 'employees' | 'revenue' | 'assets';

export interface UsccAnswer {
  valid: boolean;
  normalized: string;
  /** Sentences in the UI language (Accept-Language). */
  errors: string[];
  warnings: string[];
  errorCodes: string[];
  warningCodes: string[];
  expectedCheckChar: string | null;
}

export interface SizeInput {
  industry: string;
  employees?: number;
  revenue?: number;
  assets?: number;
  mainBusinessRevenue?: number;
}

export interface SizeAnswer {
  size: SizeClass | 'unknown';
  sizeName: string;
  rule: {
    standard: string;
    group: string;
    groupName: string;
    industryCode: string | null;
    industryName: string | null;
    principle: string;
    thresholds: { indicator: Indicator; name: string; unit: string; large: number; medium: number; small: number }[];
    tiers: {
      tier: SizeClass;
      outcome: 'met' | 'failed' | 'unknown';
      conditions: { indicator: Indicator; value: number | null; bound: number; met: boolean | null }[];
      text: string;
    }[];
    text: string;
  };
  missing: Indicator[];
  aboveScale?: boolean | null;
  aboveScaleRule?: { id: string | null; text: string };
}

export const checkUscc = (code: string) => api.post<UsccAnswer>('/tools/uscc', { code });

export const classifySize = (input: SizeInput) => api.post<SizeAnswer>('/tools/enterprise-size', input);
