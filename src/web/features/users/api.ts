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
  /** Waiting for the user to set a password with the activation code (issue #16). */
  activationPending: boolean;
  totpEnabled: boolean;
  lastLoginAt: string | null;
  lockedUntil: string | null;
}

/** The system admin creates an account with no role and no password (三权分立). */
export interface CreateUserInput {
  username: string;
  displayName: string;
}

/** A one-time activation code, shown once (create and reset). */
export interface Activation {
  activationCode: string;
  activationExpiresAt: string;
  roleSuspended: boolean;
}

export interface GrantInput {
  role: Role;
  orgId: string | null;
  scopeRegionCode?: string | null;
}
