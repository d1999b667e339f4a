/**
 * security.md AC-06: over random scopes × records, a record is visible iff its region lies in the caller's
 * subtree (region scopes) or it belongs to the caller's org (org scopes); the SQL filter (scopeWhere) and the
 * in-code check (inScope) agree with the tree.
 */

import { and, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgs } from '../src/server/db/schema/index.ts';
import { inScope, type Scope, scopeWhere } from '../src/server/platform/scope.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ jobs: false });
});
afterAll(async () => t.close());

describe('scope property', () => {
  it('an org row is visible iff the tree says so', async () => {
    const { db } = t.deps.database;
    const allOrgs = await db.select().from(orgs);
    const codes = t.deps.regions.all().map((r) => r.code);
    const scopeArb = fc.oneof(
      fc.constantFrom(...codes).map(
        (root): Scope => ({
          userId: 'u',
          role: 'district_admin',
          kind: 'region',
          rootRegion: root,
          regionCodes: t.deps.regions.subtree(root),
          orgId: null,
        }),
      ),
      fc.constantFrom(...allOrgs).map(
        (o): Scope => ({
          userId: 'u',
          role: 'enterprise',
          kind: 'org',
          rootRegion: o.regionCode,
          regionCodes: [],
          orgId: o.id,
        }),
      ),
      fc.constant<Scope>({
        userId: 'u',
        role: 'auditor',
        kind: 'none',
        rootRegion: null,
        regionCodes: [],
        orgId: null,
      }),
    );
    await fc.assert(
      fc.asyncProperty(scopeArb, fc.constantFrom(...allOrgs), async (scope, org) => {
        const rows = await db
          .select({ id: orgs.id })
          .from(orgs)
          .where(and(eq(orgs.id, org.id), scopeWhere(scope, { region: orgs.regionCode, org: orgs.id })));
        const expected =
          scope.kind === 'region'
            ? t.deps.regions.ancestors(org.regionCode).concat(org.regionCode).includes(scope.rootRegion!)
            : scope.kind === 'org'
              ? org.id === scope.orgId
              : false;
        expect(rows.length === 1).toBe(expected);
        expect(inScope(scope, { regionCode: org.regionCode, orgId: org.id })).toBe(expected);
      }),
      { numRuns: 200, seed: 20261122 },
    );
  });
});
