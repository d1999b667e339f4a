/** 梯度培育 API (issue #20). */
import { api } from '../../app/api';

export type Tier = 'innovative_sme' | 'srdi_sme' | 'little_giant';
export const TIERS: Tier[] = ['innovative_sme', 'srdi_sme', 'little_giant'];

export interface Condition {
  id: string;
  kind: 'required' | 'score' | 'direct' | 'fast_track';
  met: boolean | null;
  value: number | boolean | string | null;
  required: number | boolean | string | null;
  op: 'gte' | 'lte' | 'eq';
  gap: number | null;
}
export interface Assessment {
  eligible: boolean | null;
  route: 'score' | 'direct' | null;
  score: number | null;
  categories: Record<string, { points: number | null; max: number; min: number | null; met: boolean | null }>;
  items: { id: string; points: number | null; max: number }[];
  missing: string[];
  conditions: Condition[];
}
export interface Shortfall {
  id: string;
  value: number | boolean | string | null;
  required: number | boolean | string | null;
  op: string;
  gap: number;
}
export interface NearMiss {
  enterpriseId: string;
  name: string;
  uscc: string;
  regionCode: string;
  tier: Tier;
  score: number | null;
  gap: number;
  shortfalls: Shortfall[];
  missing: string[];
  selfReported: boolean;
  inPool: boolean;
}
export interface Kpis {
  innovativeSme: { total: number; new: number };
  srdi: {
    municipal: { total: number; new: number };
    provincial: { total: number; new: number };
    new: number;
    target: number | null;
    completionRate: number | null;
  };
  littleGiant: { total: number; new: number };
  scaleUp: { new: number; target: number | null; completionRate: number | null };
}
export interface PoolEntry {
  id: string;
  enterpriseId: string;
  name: string;
  targetTier: Tier;
  status: 'active' | 'recognised' | 'withdrawn';
  source: string;
  mentorName: string | null;
  plan: { title: string; due: string; done: boolean }[];
  notes: { at: string; by: string; text: string }[];
}
export interface Certification {
  id: string;
  name: string;
  tier: Tier;
  level: string;
  batchNo: string;
  recognisedOn: string;
  validUntil: string;
  reviewDueOn: string;
  revokedOn: string | null;
  reviewDue: boolean;
  expired: boolean;
}
export interface Target {
  regionCode: string;
  year: number;
  metric: string;
  target: number;
}

export const assess = (tier: Tier, facts: Record<string, unknown>) =>
  api.post<Assessment>('/tools/tier-assessment', { tier, facts });
export const getKpis = (region: string | undefined, year: number) =>
  api.get<Kpis>('/cultivation/kpis', { region, year });
export const getNearMisses = (tier: Tier) => api.get<{ items: NearMiss[] }>('/cultivation/near-misses', { tier });
export const getPool = () => api.get<{ items: PoolEntry[] }>('/cultivation/pool');
export const addToPool = (enterpriseId: string, targetTier: Tier) =>
  api.post<{ id: string }>('/cultivation/pool', { enterpriseId, targetTier, source: 'near_miss' });
export const updatePool = (id: string, body: { note?: string; status?: PoolEntry['status'] }) =>
  api.post<{ id: string }>('/cultivation/pool/update', { id, ...body });
export const getCertifications = () => api.get<{ items: Certification[] }>('/cultivation/certifications');
export const revokeCertification = (id: string, on: string, reason: string) =>
  api.post('/cultivation/certifications/revoke', { id, on, reason });
export const getTargets = (region?: string) => api.get<{ items: Target[] }>('/cultivation/targets', { region });
export const setTarget = (t: { region: string; year: number; metric: string; target: number }) =>
  api.put('/cultivation/targets', t);
export interface ScaleUpCandidate {
  enterpriseId: string;
  name: string;
  revenue: number | null;
  threshold: number | null;
  share: number | null;
  growth: number | null;
  selfReported: boolean;
}
export const getScaleUp = () =>
  api.get<{ year: number; items: ScaleUpCandidate[] }>('/cultivation/scale-up-candidates', { share: 0.6 });
