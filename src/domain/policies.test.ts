import { describe, expect, it } from 'vitest';
import {
  actionsFrom,
  applicationOpen,
  factsYearOf,
  isDeletable,
  isEditable,
  isPastExpiry,
  policyStep,
} from './policies.ts';

describe('policy status machine (decision 0012)', () => {
  it('moves draft → review → approved → published → expired', () => {
    expect(policyStep('draft', 'submit')?.to).toBe('review');
    expect(policyStep('review', 'approve')?.to).toBe('approved');
    expect(policyStep('approved', 'publish')?.to).toBe('published');
    expect(policyStep('published', 'expire')?.to).toBe('expired');
  });
  it('rejects back to draft with a reason; withdraw means two things by status', () => {
    expect(policyStep('review', 'reject')).toMatchObject({ to: 'draft', needsReason: true, side: 'review' });
    expect(policyStep('review', 'withdraw')).toMatchObject({ to: 'draft', side: 'manage', needsReason: false });
    expect(policyStep('published', 'withdraw')).toMatchObject({ to: 'withdrawn', side: 'review', needsReason: true });
  });
  it('refuses skipped or backward steps', () => {
    expect(policyStep('draft', 'publish')).toBeNull();
    expect(policyStep('review', 'publish')).toBeNull();
    expect(policyStep('expired', 'publish')).toBeNull();
    expect(policyStep('withdrawn', 'submit')).toBeNull();
    expect(actionsFrom('expired')).toEqual([]);
    expect(actionsFrom('review').sort()).toEqual(['approve', 'reject', 'withdraw']);
  });
  it('edits drafts and reviews only, deletes drafts only', () => {
    expect([isEditable('draft'), isEditable('review'), isEditable('approved'), isEditable('published')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect([isDeletable('draft'), isDeletable('review')]).toEqual([true, false]);
  });
  it('dates: expiry, application window, 上年度 facts year', () => {
    expect(isPastExpiry('2025-12-31', '2026-01-01')).toBe(true);
    expect(isPastExpiry('2025-12-31', '2025-12-31')).toBe(false);
    expect(isPastExpiry(null, '2030-01-01')).toBe(false);
    expect(applicationOpen('2025-04-01', '2025-10-31', '2025-10-31')).toBe(true);
    expect(applicationOpen('2025-04-01', '2025-10-31', '2025-11-01')).toBe(false);
    expect(applicationOpen(null, null, '2025-11-01')).toBe(true);
    expect(factsYearOf('previous', '2026-03-01')).toBe(2025);
    expect(factsYearOf('current', '2026-03-01')).toBe(2026);
  });
});
