import type { Role } from '../../../domain/access.ts';

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  orgId: string | null;
  orgName: string | null;
  scopeRegionCode: string | null;
  status: 'active' | 'disabled';
  lastLoginAt: string | null;
  lockedUntil: string | null;
}

export interface CreateUserInput {
  username: string;
  displayName: string;
  role: Role;
  orgId: string | null;
  scopeRegionCode?: string;
  password: string;
}
