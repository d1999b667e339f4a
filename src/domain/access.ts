/**
 * Roles and permissions (pure; imported by the server and the web app).
 *
 * Roles come from ../shared/DESIGN.md §1. The three administrative roles (auditor, security_admin,
 * system_admin) are the separated duties of MLPS level 3 (GB/T 22239-2019 §8.1.4.2 d, security.md AC-04):
 * none of them sees business data, and one account holds exactly one role, so they cannot be combined.
 */

export const ROLES = [
  'city_admin',
  'district_admin',
  'department_handler',
  'cadre',
  'park_operator',
  'enterprise',
  'auditor',
  'security_admin',
  'system_admin',
  /**
   * An account the system admin created and the security admin has not yet granted a role (issue #16, AC-04):
   * no permissions beyond its own profile, no records in scope.
   */
  'pending',
] as const;
export type Role = (typeof ROLES)[number];

export const ADMIN_ROLES: readonly Role[] = ['auditor', 'security_admin', 'system_admin'];

/** Roles the security admin may grant (all but `pending`, which is only a revocation target). */
export const GRANTABLE_ROLES = ROLES.filter((r) => r !== 'pending');

export function isAdminRole(role: Role): boolean {
  return ADMIN_ROLES.includes(role);
}

/**
 * Roles that must use a second factor when the security setting `totpRequiredForStaff` is on (security.md IA-04:
 * the three admin roles and all government staff). Enterprises may enrol but are never forced.
 */
export function totpRequiredFor(role: Role): boolean {
  return role !== 'enterprise' && role !== 'pending';
}

/** Every permission key. The web route table and the server route declarations use the same keys. */
export const PERMISSIONS = [
  'dashboard:view',
  /** The cockpit (驾驶舱, #21): region officials' landing page and big screen. */
  'dashboard:cockpit',
  'regions:read',
  'orgs:read',
  'orgs:manage',
  'users:read',
  'users:manage',
  /** Grant roles and scopes to accounts (security admin only; 三权分立, AC-04). */
  'users:grant',
  'audit:read',
  'security:manage',
  'system:manage',
  'jobs:read',
  'jobs:run',
  'notifications:read',
  /** Manage the group robots (DingTalk / WeCom) of orgs in scope (issue #21). */
  'notifications:robots',
  /** Read the delivery log of e-mails and robot messages (issue #21). */
  'notifications:deliveries',
  'files:upload',
  'files:read',
  'profile:self',
  'projects:read',
  'projects:manage',
  'projects:report',
  'parks:read',
  'parks:manage',
  'parks:report',
  'enterprises:read',
  'enterprises:manage',
  'enterprises:report',
  /** Confirm or reject firms' self-reported figures (核实, issue #15); the provenance ranking (city). */
  'enterprises:verify',
  'enterprises:settings',
  'pii:reveal',
  /** Policies (#5): read the library, author drafts, review/publish, run payouts, apply as an enterprise. */
  'policies:read',
  'policies:manage',
  'policies:review',
  'policies:payout',
  'policies:apply',
  /** Payout settings (minimum publicity): city administrators (issue #18). */
  'policies:settings',
  /** 万人助万企 (#6): read, administer groups/pairings/settings, visit, take/submit problems, handle, supervise. */
  'assistance:read',
  'assistance:manage',
  'assistance:visit',
  'assistance:submit',
  'assistance:handle',
  'assistance:supervise',
  /** 目标任务 (#21): read targets and progress; set the targets of the regions below one's own. */
  'targets:read',
  'targets:manage',
  /** 周报/月报 (#21): list and download the archived reports of one's scope; generate one now. */
  'reports:read',
  'reports:generate',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const BUSINESS_COMMON: Permission[] = [
  'dashboard:view',
  'regions:read',
  'notifications:read',
  'files:upload',
  'files:read',
  'profile:self',
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  city_admin: [
    ...BUSINESS_COMMON,
    'dashboard:cockpit',
    'orgs:read',
    'jobs:read',
    'jobs:run',
    'notifications:robots',
    'notifications:deliveries',
    'projects:read',
    'projects:manage',
    'projects:report',
    'parks:read',
    'parks:manage',
    'parks:report',
    'enterprises:read',
    'enterprises:manage',
    'enterprises:report',
    'enterprises:verify',
    'enterprises:settings',
    'pii:reveal',
    'policies:read',
    'policies:manage',
    'policies:review',
    'policies:payout',
    'policies:settings',
    'assistance:read',
    'assistance:manage',
    'assistance:visit',
    'assistance:submit',
    'assistance:handle',
    'assistance:supervise',
    'targets:read',
    'targets:manage',
    'reports:read',
    'reports:generate',
  ],
  district_admin: [
    ...BUSINESS_COMMON,
    'dashboard:cockpit',
    'orgs:read',
    'jobs:read',
    'jobs:run',
    'notifications:robots',
    'notifications:deliveries',
    'projects:read',
    'projects:manage',
    'projects:report',
    'parks:read',
    'parks:manage',
    'parks:report',
    'enterprises:read',
    'enterprises:manage',
    'enterprises:report',
    'enterprises:verify',
    'pii:reveal',
    'policies:read',
    'policies:manage',
    'policies:review',
    'policies:payout',
    'assistance:read',
    'assistance:manage',
    'assistance:visit',
    'assistance:submit',
    'assistance:handle',
    'assistance:supervise',
    'targets:read',
    'targets:manage',
    'reports:read',
    'reports:generate',
  ],
  /** A department sees and reports on the projects it is the responsible unit for. */
  department_handler: [
    ...BUSINESS_COMMON,
    'projects:read',
    'projects:report',
    'policies:read',
    'policies:review',
    'policies:payout',
    'assistance:read',
    'assistance:handle',
  ],
  /** A cadre (助企干部) sees the enterprises paired with it, logs visits and takes problems on their behalf. */
  cadre: [...BUSINESS_COMMON, 'policies:read', 'assistance:read', 'assistance:visit', 'assistance:submit'],
  /**
   * A park operator sees and reports on its own parks (weekly/monthly reports, units), reports its tenants' rent
   * figures (source 园区运营方) and checks their self-reports (核实).
   */
  park_operator: [
    ...BUSINESS_COMMON,
    'parks:read',
    'parks:report',
    'enterprises:read',
    'enterprises:report',
    'enterprises:verify',
    'policies:read',
  ],
  /** An enterprise user sees its own record and reports its own figures. */
  enterprise: [
    ...BUSINESS_COMMON,
    'enterprises:read',
    'enterprises:report',
    'policies:read',
    'policies:apply',
    'assistance:read',
    'assistance:submit',
  ],
  auditor: ['audit:read', 'jobs:read', 'jobs:run', 'notifications:read', 'profile:self'],
  security_admin: [
    'security:manage',
    'users:read',
    'users:grant',
    'orgs:read',
    'regions:read',
    'notifications:read',
    'profile:self',
  ],
  system_admin: [
    'users:read',
    'users:manage',
    'orgs:read',
    'orgs:manage',
    'system:manage',
    'jobs:read',
    'regions:read',
    'notifications:read',
    'notifications:deliveries',
    'profile:self',
  ],
  pending: ['profile:self'],
};

export function permissionsOf(role: Role): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
}

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export const ORG_KINDS = [
  'bureau',
  'department',
  'district_government',
  'town',
  'park_operator',
  'enterprise',
  'service_provider',
] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

/**
 * What a user may see. `region`: a division subtree; `org`: rows filed under one org (a department, a park
 * operator, an enterprise); `none`: no records at all (auditor, security admin); `all`: the whole deployment, but only
 * for what the role's permissions reach (the system admin manages accounts and orgs, never business data).
 */
export const SCOPE_KINDS = ['region', 'org', 'none', 'all'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

/** The scope kind each role must have. */
export const ROLE_SCOPE: Record<Role, ScopeKind> = {
  city_admin: 'region',
  district_admin: 'region',
  department_handler: 'org',
  cadre: 'org',
  park_operator: 'org',
  enterprise: 'org',
  auditor: 'none',
  security_admin: 'none',
  system_admin: 'all',
  pending: 'none',
};
