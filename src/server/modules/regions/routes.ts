/** Regions: the division tree the caller may see (their subtree plus its ancestors for context). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import type { RegionRow } from '../../platform/region-index.ts';
import { errorResponses } from '../../platform/schemas.ts';
import { visibleRegions } from './service.ts';

const regionSchema = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(['province', 'city', 'district', 'town']),
  kind: z.enum(['admin', 'dev_zone']),
  parentCode: z.string().nullable(),
  /** False for ancestors shown only for context. */
  inScope: z.boolean(),
});

const present = (r: RegionRow, inScope: boolean) => ({
  code: r.code,
  name: r.name,
  level: r.level,
  kind: r.kind,
  parentCode: r.parentCode,
  inScope,
});

export async function regionRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const deps = base.deps;

  app.get(
    '/api/v1/regions',
    {
      config: { access: 'regions:read' },
      schema: {
        tags: ['regions'],
        summary: 'Division tree in scope (GB/T 2260 and development zones), parents first',
        querystring: z.object({ level: z.enum(['province', 'city', 'district', 'town']).optional() }),
        response: { 200: z.object({ items: z.array(regionSchema) }), ...errorResponses },
      },
    },
    async (req) => {
      const rows = visibleRegions(deps.regions, req.auth!.scope);
      return {
        items: rows
          .filter((r) => !req.query.level || r.row.level === req.query.level)
          .map((r) => present(r.row, r.inScope)),
      };
    },
  );

  app.get(
    '/api/v1/regions/:code',
    {
      config: { access: 'regions:read', entity: 'region' },
      schema: {
        tags: ['regions'],
        params: z.object({ code: z.string().max(16) }),
        response: { 200: regionSchema, ...errorResponses },
      },
    },
    async (req) => {
      const hit = visibleRegions(deps.regions, req.auth!.scope).find(
        (r) => r.row.code === req.params.code && r.inScope,
      );
      if (!hit) throw new AppError('NOT_FOUND');
      return present(hit.row, true);
    },
  );
}
